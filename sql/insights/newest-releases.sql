-- Newest releases in the user's current playlists: one row per album (the view current_albums) with
-- a track in them, newest release_date first (a year-only date sorts before that year's
-- dated releases), with how many of its tracks and how many playlists carry it.
-- "Current" is the views current_playlists and current_playlist_tracks: the playlists of the latest
-- run complete for them, each with the track items of its current snapshot; a partial run never
-- counts (the views are declared in packages/schemas/src/lake/views.ts).
WITH latest_albums AS (
  SELECT album_id, name, album_type, release_date, release_date_precision, artist_names
  FROM current_albums
)
SELECT
  a.release_date,
  a.release_date_precision,
  a.album_id,
  a.name AS album_name,
  a.album_type,
  a.artist_names,
  count(DISTINCT t.item_id) AS track_count,
  count(DISTINCT t.playlist_id) AS playlist_count
FROM current_playlist_tracks AS t
JOIN latest_albums AS a ON a.album_id = t.album_id
GROUP BY a.release_date, a.release_date_precision, a.album_id, a.name, a.album_type, a.artist_names
ORDER BY a.release_date DESC, a.album_id
LIMIT 50
