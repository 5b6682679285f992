-- Top artists by playlist presence: how many of the user's current playlists credit each artist,
-- on how many distinct tracks and item positions (a track listed twice counts twice).
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
