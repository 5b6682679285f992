-- Playlist size over time: the number of items in each playlist on each day (dt), as the playlists
-- table records it, with the change since the playlist's previous day. Where a dt holds several runs,
-- the latest run of that dt counts.
WITH latest_run AS (
  SELECT dt, max("_run_id") AS run_id
  FROM playlists
  GROUP BY dt
)
SELECT
  p.dt,
  p.playlist_id,
  p.name AS playlist_name,
  p.snapshot_id,
  p.items_total,
  p.items_total - lag(p.items_total) OVER (PARTITION BY p.playlist_id ORDER BY p.dt) AS items_change
FROM playlists AS p
JOIN latest_run AS r ON r.dt = p.dt AND r.run_id = p."_run_id"
ORDER BY p.playlist_id, p.dt
