-- Top artists by playlist presence: how many of the user's current playlists credit each artist,
-- on how many distinct tracks and item positions (a track listed twice counts twice).
-- "Current" is the views current_playlists and current_playlist_tracks: the playlists of the latest
-- run complete for them, each with the track items of its current snapshot; a partial run never
-- counts (the views are declared in packages/schemas/src/lake/views.ts).
WITH current_tracks AS (
  SELECT playlist_id, item_id, album_id, artist_ids, artist_names
  FROM current_playlist_tracks
),
credits AS (
  SELECT t.playlist_id, t.item_id, u.artist_id, try(t.artist_names[u.artist_index]) AS artist_name
  FROM current_tracks AS t
  CROSS JOIN UNNEST(t.artist_ids) WITH ORDINALITY AS u(artist_id, artist_index)
)
SELECT
  artist_id,
  max(artist_name) AS artist_name,
  count(DISTINCT playlist_id) AS playlist_count,
  count(DISTINCT item_id) AS track_count,
  count(*) AS item_count
FROM credits
GROUP BY artist_id
ORDER BY playlist_count DESC, track_count DESC, item_count DESC, artist_id
LIMIT 50
