-- Explicit share per current playlist: its distinct tracks, how many are explicit and how many are
-- not in the tracks table yet (latest row per track), and the explicit share of the known ones
-- (NULL when none is known).
-- "Current" means the playlists of the latest run of the latest dt, each with the track items of
-- its current snapshot (from the latest run that extracted them).
WITH current_playlists AS (
  SELECT playlist_id, name, snapshot_id
  FROM playlists
  WHERE dt = (SELECT max(dt) FROM playlists)
    AND "_run_id" = (SELECT max("_run_id") FROM playlists WHERE dt = (SELECT max(dt) FROM playlists))
),
ranked_items AS (
  SELECT
    i.playlist_id,
    i.item_type,
    i.item_id,
    i.album_id,
    i.artist_ids,
    i.artist_names,
    dense_rank() OVER (PARTITION BY i.playlist_id ORDER BY i.dt DESC, i."_run_id" DESC) AS run_rank
  FROM playlist_items AS i
  JOIN current_playlists AS c ON c.playlist_id = i.playlist_id AND c.snapshot_id = i.snapshot_id
),
current_tracks AS (
  SELECT playlist_id, item_id, album_id, artist_ids, artist_names
  FROM ranked_items
  WHERE run_rank = 1 AND item_type = 'track'
),
latest_tracks AS (
  SELECT track_id, explicit
  FROM (
    SELECT track_id, explicit, row_number() OVER (PARTITION BY track_id ORDER BY dt DESC, "_run_id" DESC) AS row_rank
    FROM tracks
  ) AS ranked
  WHERE row_rank = 1
)
SELECT
  c.playlist_id,
  c.name AS playlist_name,
  count(DISTINCT t.item_id) AS track_count,
  count(DISTINCT CASE WHEN k.explicit THEN t.item_id END) AS explicit_count,
  count(DISTINCT CASE WHEN t.item_id IS NOT NULL AND k.track_id IS NULL THEN t.item_id END) AS unknown_count,
  round(
    CAST(count(DISTINCT CASE WHEN k.explicit THEN t.item_id END) AS DOUBLE)
      / nullif(count(DISTINCT k.track_id), 0),
    4
  ) AS explicit_share
FROM current_playlists AS c
LEFT JOIN current_tracks AS t ON t.playlist_id = c.playlist_id
LEFT JOIN latest_tracks AS k ON k.track_id = t.item_id
GROUP BY c.playlist_id, c.name
ORDER BY explicit_share DESC NULLS LAST, c.playlist_id
