-- Release-year distribution of the distinct tracks in the user's current playlists: tracks per
-- release year of their album (current_albums: one row per album) and each year's share of all
-- of them. Tracks whose album is not in the albums table count under a NULL year.
-- "Current" is the views current_playlists and current_playlist_tracks: the playlists of the latest
-- run complete for them, each with the track items of its current snapshot; a partial run never
-- counts (the views are declared in packages/schemas/src/lake/views.ts).
WITH latest_albums AS (
  SELECT album_id, release_year
  FROM current_albums
),
distinct_tracks AS (
  SELECT DISTINCT item_id, album_id
  FROM current_playlist_tracks
)
SELECT
  a.release_year,
  count(*) AS track_count,
  round(CAST(count(*) AS DOUBLE) / sum(count(*)) OVER (), 4) AS share
FROM distinct_tracks AS t
LEFT JOIN latest_albums AS a ON a.album_id = t.album_id
GROUP BY a.release_year
ORDER BY a.release_year NULLS LAST
