-- Saved but never played: the tracks each account holds in its library now (saved_library, not
-- removed) with no row in plays for that account, newest saves first, with the track's name and
-- artists (current_tracks: one row per track; NULL until a run fetched the track). A listen of the
-- privacy export counts as a play. Spotify's API shows only the last 50 plays, so without an imported
-- export "never" means not since the lake began polling them.
SELECT s.account_id, s.item_id AS track_id, t.name AS track_name, t.artist_names, s.added_at
FROM saved_library AS s
LEFT JOIN current_tracks AS t ON t.track_id = s.item_id
WHERE s.kind = 'track'
  AND s.removed_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM listens AS p WHERE p.account_id = s.account_id AND p.track_id = s.item_id)
ORDER BY s.added_at DESC, s.account_id, s.item_id
