-- Tracks added to and removed from each playlist between consecutive snapshots: one row per track
-- and change (added or removed), dated by the day (dt) the newer snapshot was first seen. Snapshots
-- come from the playlists table (the latest run of each dt); a snapshot's tracks from the latest run
-- that extracted its items. A snapshot whose items were never extracted is skipped, unless the
-- playlist is empty.
WITH latest_run AS (
  SELECT dt, max("_run_id") AS run_id
  FROM playlists
  GROUP BY dt
),
daily AS (
  SELECT p.dt, p.playlist_id, p.snapshot_id, p.items_total
  FROM playlists AS p
  JOIN latest_run AS r ON r.dt = p.dt AND r.run_id = p."_run_id"
),
extracted AS (
  SELECT DISTINCT playlist_id, snapshot_id
  FROM playlist_items
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
  FROM playlist_items AS i
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
