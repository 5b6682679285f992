-- Listening heatmap: plays and minutes per account, ISO weekday (1 = Monday ... 7 = Sunday) and hour
-- of the day, both in UTC, over every play in the lake. A play's length is its ms_played where the
-- lake knows it, else its track's duration_ms (current_tracks, one row per track; none: no minutes).
-- A listen counts once, whichever polls, runs and imports saw it (the view listens). Only the cells
-- with plays are rows.
WITH heard AS (
  SELECT account_id, played_at, track_id, ms_played
  FROM listens
),
latest_tracks AS (
  SELECT track_id, duration_ms
  FROM current_tracks
),
timed AS (
  SELECT
    l.account_id,
    -- 1970-01-05 was a Monday; date_diff and mod spell the ISO weekday the same in DuckDB and Trino.
    mod(date_diff('day', DATE '1970-01-05', CAST(l.played_at AS DATE)), 7) + 1 AS weekday,
    hour(l.played_at) AS hour,
    coalesce(l.ms_played, t.duration_ms) AS ms
  FROM heard AS l
  LEFT JOIN latest_tracks AS t ON t.track_id = l.track_id
)
SELECT
  account_id,
  weekday,
  hour,
  count(*) AS plays,
  round(CAST(coalesce(sum(ms), 0) AS DOUBLE) / 60000, 2) AS minutes
FROM timed
GROUP BY account_id, weekday, hour
ORDER BY account_id, weekday, hour
