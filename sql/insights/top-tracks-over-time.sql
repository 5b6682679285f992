-- Top tracks over time: each connected account's top tracks per time range (short_term ~4 weeks,
-- medium_term ~6 months, long_term ~1 year) on each day (dt), with the track's rank in the account's
-- previous snapshot of that time range and the movement since: up, down, same, or new (not in the
-- previous snapshot, or no earlier snapshot). rank_change is previous_rank - rank (positive: moved up).
-- Where a dt holds several runs, the latest run of that dt that is complete for top_tracks counts
-- (the view latest_complete_runs); a dt with only partial runs is left out.
WITH snapshots AS (
  SELECT a.account_id, a.time_range, a.dt, a.rank, a.track_id, a.track_name, a.artist_names
  FROM top_tracks AS a
  JOIN latest_complete_runs AS r
    ON r.table_name = 'top_tracks' AND r.dt = a.dt AND r.run_id = a."_run_id"
),
days AS (
  SELECT
    account_id,
    time_range,
    dt,
    lag(dt) OVER (PARTITION BY account_id, time_range ORDER BY dt) AS previous_dt
  FROM (SELECT DISTINCT account_id, time_range, dt FROM snapshots) AS d
)
SELECT
  s.account_id,
  s.time_range,
  s.dt,
  s.rank,
  s.track_id,
  s.track_name,
  s.artist_names,
  p.rank AS previous_rank,
  p.rank - s.rank AS rank_change,
  CASE
    WHEN p.rank IS NULL THEN 'new'
    WHEN p.rank > s.rank THEN 'up'
    WHEN p.rank < s.rank THEN 'down'
    ELSE 'same'
  END AS movement
FROM snapshots AS s
JOIN days AS d ON d.account_id = s.account_id AND d.time_range = s.time_range AND d.dt = s.dt
LEFT JOIN snapshots AS p
  ON p.account_id = s.account_id
  AND p.time_range = s.time_range
  AND p.dt = d.previous_dt
  AND p.track_id = s.track_id
ORDER BY s.account_id, s.time_range, s.dt, s.rank
