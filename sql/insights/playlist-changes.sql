-- Tracks added to and removed from each playlist between consecutive snapshots: one row per track
-- and change (added or removed), dated by the day (dt) the newer snapshot was first seen. Snapshots
-- come from the view daily_playlists (the latest complete run of each dt); a snapshot's tracks from
-- the latest complete run that extracted its items (complete_playlist_items). A snapshot whose items
-- were never extracted completely is skipped, unless the playlist is empty.
WITH daily AS (
  SELECT dt, playlist_id, snapshot_id, items_total
  FROM daily_playlists
),
extracted AS (
  SELECT DISTINCT playlist_id, snapshot_id
  FROM complete_playlist_items
),
snapshots AS (
  SELECT d.playlist_id, d.snapshot_id, min(d.dt) AS first_dt
  FROM daily AS d
  LEFT JOIN extracted AS e ON e.playlist_id = d.playlist_id AND e.snapshot_id = d.snapshot_id
  WHERE d.items_total = 0 OR e.snapshot_id IS NOT NULL
  GROUP BY d.playlist_id, d.snapshot_id
),
steps AS (
  SELECT
    playlist_id,
    snapshot_id,
    first_dt,
    lag(snapshot_id) OVER (PARTITION BY playlist_id ORDER BY first_dt) AS previous_snapshot_id
  FROM snapshots
),
ranked_items AS (
  SELECT
    i.playlist_id,
    i.snapshot_id,
    i.item_type,
    i.item_id,
    i.item_name,
    dense_rank() OVER (PARTITION BY i.playlist_id, i.snapshot_id ORDER BY i.dt DESC, i."_run_id" DESC) AS run_rank
  FROM complete_playlist_items AS i
),
snapshot_tracks AS (
  SELECT DISTINCT playlist_id, snapshot_id, item_id, item_name
  FROM ranked_items
  WHERE run_rank = 1 AND item_type = 'track'
)
SELECT
  s.first_dt AS dt,
  s.playlist_id,
  s.previous_snapshot_id,
  s.snapshot_id,
  'added' AS change_type,
  t.item_id,
  t.item_name
FROM steps AS s
JOIN snapshot_tracks AS t ON t.playlist_id = s.playlist_id AND t.snapshot_id = s.snapshot_id
LEFT JOIN snapshot_tracks AS o
  ON o.playlist_id = s.playlist_id AND o.snapshot_id = s.previous_snapshot_id AND o.item_id = t.item_id
WHERE s.previous_snapshot_id IS NOT NULL AND o.item_id IS NULL
UNION ALL
SELECT
  s.first_dt AS dt,
  s.playlist_id,
  s.previous_snapshot_id,
  s.snapshot_id,
  'removed' AS change_type,
  t.item_id,
  t.item_name
FROM steps AS s
JOIN snapshot_tracks AS t ON t.playlist_id = s.playlist_id AND t.snapshot_id = s.previous_snapshot_id
LEFT JOIN snapshot_tracks AS n
  ON n.playlist_id = s.playlist_id AND n.snapshot_id = s.snapshot_id AND n.item_id = t.item_id
WHERE n.item_id IS NULL
ORDER BY playlist_id, dt, change_type, item_id
