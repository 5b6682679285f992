-- Genre mix of the user's current playlists: for each genre of the credited artists (artists table,
-- latest row per artist), how many distinct artists and tracks carry it. Spotify returns no genres
-- to development-mode apps: then the result is empty.
-- "Current" means the playlists of the latest run of the latest dt, each with the track items of
-- its current snapshot (from the latest run that extracted them).
WITH current_playlists AS (
  SELECT playlist_id, name, snapshot_id
  FROM playlists
  WHERE dt = (SELECT max(dt) FROM playlists)
    AND "_run_id" = (SELECT max("_run_id") FROM playlists WHERE dt = (SELECT max(dt) FROM playlists))
),
ranked_items AS (
  SELECT
    i.playlist_id,
    i.item_type,
    i.item_id,
    i.album_id,
    i.artist_ids,
    i.artist_names,
    dense_rank() OVER (PARTITION BY i.playlist_id ORDER BY i.dt DESC, i."_run_id" DESC) AS run_rank
  FROM playlist_items AS i
  JOIN current_playlists AS c ON c.playlist_id = i.playlist_id AND c.snapshot_id = i.snapshot_id
),
current_tracks AS (
  SELECT playlist_id, item_id, album_id, artist_ids, artist_names
  FROM ranked_items
  WHERE run_rank = 1 AND item_type = 'track'
),
credits AS (
  SELECT DISTINCT t.item_id, u.artist_id
  FROM current_tracks AS t
  CROSS JOIN UNNEST(t.artist_ids) AS u(artist_id)
),
latest_artists AS (
  SELECT artist_id, genres
  FROM (
    SELECT artist_id, genres, row_number() OVER (PARTITION BY artist_id ORDER BY dt DESC, "_run_id" DESC) AS row_rank
    FROM artists
  ) AS ranked
  WHERE row_rank = 1
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
