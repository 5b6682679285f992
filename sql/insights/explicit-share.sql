-- Explicit share per current playlist: its distinct tracks, how many are explicit and how many are
-- not in the tracks table yet (current_tracks), and the explicit share of the known ones
-- (NULL when none is known).
-- "Current" is the views current_playlists and current_playlist_tracks: the playlists of the latest
-- run complete for them, each with the track items of its current snapshot; a partial run never
-- counts (the views are declared in packages/schemas/src/lake/views.ts).
WITH latest_tracks AS (
  SELECT track_id, explicit
  FROM current_tracks
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
LEFT JOIN current_playlist_tracks AS t ON t.playlist_id = c.playlist_id
LEFT JOIN latest_tracks AS k ON k.track_id = t.item_id
GROUP BY c.playlist_id, c.name
ORDER BY explicit_share DESC NULLS LAST, c.playlist_id
