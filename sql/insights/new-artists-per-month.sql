-- New artists per month (UTC) and account: how many artists the account played for the first time
-- that month, and how many distinct artists it played at all. A play credits every artist of its
-- track (current_tracks, one row per track); plays of a track not in tracks credit nobody. A listen
-- counts once, whichever polls, runs and imports saw it (the view listens).
WITH heard AS (
  SELECT account_id, played_at, track_id
  FROM listens
),
latest_tracks AS (
  SELECT track_id, artist_ids
  FROM current_tracks
),
credits AS (
  SELECT DISTINCT l.account_id, CAST(date_trunc('month', l.played_at) AS DATE) AS month, a.artist_id
  FROM heard AS l
  JOIN latest_tracks AS t ON t.track_id = l.track_id
  CROSS JOIN UNNEST(t.artist_ids) AS a(artist_id)
),
firsts AS (
  SELECT account_id, artist_id, min(month) AS first_month
  FROM credits
  GROUP BY account_id, artist_id
)
SELECT
  c.month,
  c.account_id,
  count(CASE WHEN f.first_month = c.month THEN 1 END) AS new_artists,
  count(*) AS artists_played
FROM credits AS c
JOIN firsts AS f ON f.account_id = c.account_id AND f.artist_id = c.artist_id
GROUP BY c.month, c.account_id
ORDER BY c.month, c.account_id
