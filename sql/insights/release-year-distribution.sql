-- Release-year distribution of the distinct tracks in the user's current playlists: tracks per
-- release year of their album (albums table, latest row per album) and each year's share of all
-- of them. Tracks whose album is not in the albums table count under a NULL year.
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
  SELECT album_id, release_year
  FROM (
    SELECT album_id, release_year, row_number() OVER (PARTITION BY album_id ORDER BY dt DESC, "_run_id" DESC) AS row_rank
    FROM albums
  ) AS ranked
  WHERE row_rank = 1
),
distinct_tracks AS (
  SELECT DISTINCT item_id, album_id
  FROM current_tracks
)
SELECT
  a.release_year,
  count(*) AS track_count,
  round(CAST(count(*) AS DOUBLE) / sum(count(*)) OVER (), 4) AS share
FROM distinct_tracks AS t
LEFT JOIN latest_albums AS a ON a.album_id = t.album_id
GROUP BY a.release_year
ORDER BY a.release_year NULLS LAST
