-- Newest releases in the user's current playlists: one row per album (albums table, latest row per
-- album) with a track in them, newest release_date first (a year-only date sorts before that year's
-- dated releases), with how many of its tracks and how many playlists carry it.
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
latest_albums AS (
  SELECT album_id, name, album_type, release_date, release_date_precision, artist_names
  FROM (
    SELECT
      album_id,
      name,
      album_type,
      release_date,
      release_date_precision,
      artist_names,
      row_number() OVER (PARTITION BY album_id ORDER BY dt DESC, "_run_id" DESC) AS row_rank
    FROM albums
  ) AS ranked
  WHERE row_rank = 1
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
FROM current_tracks AS t
JOIN latest_albums AS a ON a.album_id = t.album_id
GROUP BY a.release_date, a.release_date_precision, a.album_id, a.name, a.album_type, a.artist_names
ORDER BY a.release_date DESC, a.album_id
LIMIT 50
