-- Listening minutes per day (UTC) and account: the plays of each day, and the minutes they add up
-- to. A play's length is its ms_played where the lake knows it (a privacy-export play; the Web API
-- does not say), else its track's duration_ms (current_tracks, one row per track); plays of a track
-- not in tracks count in plays_without_duration and add no minutes. A listen counts once, whichever
-- polls, runs and imports saw it (the view listens).
WITH heard AS (
  SELECT account_id, played_at, track_id, ms_played
  FROM listens
),
latest_tracks AS (
  SELECT track_id, duration_ms
  FROM current_tracks
),
timed AS (
  SELECT l.account_id, CAST(l.played_at AS DATE) AS play_date, coalesce(l.ms_played, t.duration_ms) AS ms
  FROM heard AS l
  LEFT JOIN latest_tracks AS t ON t.track_id = l.track_id
)
SELECT
  play_date,
  account_id,
  count(*) AS plays,
  round(CAST(coalesce(sum(ms), 0) AS DOUBLE) / 60000, 2) AS minutes,
  count(CASE WHEN ms IS NULL THEN 1 END) AS plays_without_duration
FROM timed
GROUP BY play_date, account_id
ORDER BY play_date, account_id
