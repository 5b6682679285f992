-- Playlist size over time: the number of items in each playlist on each day (dt), as the playlists
-- table records it, with the change since the playlist's previous day. Where a dt holds several runs,
-- the latest run of that dt that is complete for playlists counts (the view daily_playlists); a dt
-- with only partial runs is left out rather than undercounted.
SELECT
  p.dt,
  p.playlist_id,
  p.name AS playlist_name,
  p.snapshot_id,
  p.items_total,
  p.items_total - lag(p.items_total) OVER (PARTITION BY p.playlist_id ORDER BY p.dt) AS items_change
FROM daily_playlists AS p
ORDER BY p.playlist_id, p.dt
