-- Top artists over time: each connected account's top artists per time range (short_term ~4 weeks,
-- medium_term ~6 months, long_term ~1 year) on each day (dt), with the artist's rank in the account's
-- previous snapshot of that time range and the movement since: up, down, same, or new (not in the
-- previous snapshot, or no earlier snapshot). rank_change is previous_rank - rank (positive: moved up).
-- Where a dt holds several runs, the latest run of that dt that is complete for top_artists counts
-- (the view latest_complete_runs); a dt with only partial runs is left out.
WITH snapshots AS (
  SELECT a.account_id, a.time_range, a.dt, a.rank, a.artist_id, a.artist_name
  FROM top_artists AS a
  JOIN latest_complete_runs AS r
    ON r.table_name = 'top_artists' AND r.dt = a.dt AND r.run_id = a."_run_id"
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
  s.artist_id,
  s.artist_name,
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
  AND p.artist_id = s.artist_id
ORDER BY s.account_id, s.time_range, s.dt, s.rank
