-- Saved but never played: the tracks each account holds in its library now (saved_library, not
-- removed) with no row in plays for that account, newest saves first, with the track's name and
-- artists (latest tracks row; NULL until a run fetched the track). Spotify shows only the last 50
-- plays, so "never" means not since the lake began polling them.
WITH latest_tracks AS (
  SELECT track_id, name, artist_names
  FROM (
    SELECT track_id, name, artist_names, row_number() OVER (PARTITION BY track_id ORDER BY dt DESC, "_run_id" DESC) AS row_rank
    FROM tracks
  ) AS ranked
  WHERE row_rank = 1
)
SELECT s.account_id, s.item_id AS track_id, t.name AS track_name, t.artist_names, s.added_at
FROM saved_library AS s
LEFT JOIN latest_tracks AS t ON t.track_id = s.item_id
WHERE s.kind = 'track'
  AND s.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM plays AS p WHERE p.account_id = s.account_id AND p.track_id = s.item_id)
ORDER BY s.added_at DESC, s.account_id, s.item_id
