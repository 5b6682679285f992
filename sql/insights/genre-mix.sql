-- Genre mix of the user's current playlists: for each genre of the credited artists (current_artists,
-- one row per artist), how many distinct artists and tracks carry it. Spotify returns no genres
-- to development-mode apps: then the result is empty.
-- "Current" is the views current_playlists and current_playlist_tracks: the playlists of the latest
-- run complete for them, each with the track items of its current snapshot; a partial run never
-- counts (the views are declared in packages/schemas/src/lake/views.ts).
WITH credits AS (
  SELECT DISTINCT t.item_id, u.artist_id
  FROM current_playlist_tracks AS t
  CROSS JOIN UNNEST(t.artist_ids) AS u(artist_id)
),
latest_artists AS (
  SELECT artist_id, genres
  FROM current_artists
)
SELECT
  g.genre,
  count(DISTINCT c.artist_id) AS artist_count,
  count(DISTINCT c.item_id) AS track_count
FROM credits AS c
JOIN latest_artists AS a ON a.artist_id = c.artist_id
CROSS JOIN UNNEST(a.genres) AS g(genre)
GROUP BY g.genre
ORDER BY track_count DESC, artist_count DESC, g.genre
