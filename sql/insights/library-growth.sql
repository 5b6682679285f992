-- Library growth: how many items the connected accounts' saved libraries held at the end of each UTC
-- day on which they changed, per kind (track, album, show, episode), counted from added_at and removed_at in the
-- view saved_library (one row per holding; a holding removed on a day no longer counts at its end).
-- Between two rows nothing changed: a chart draws steps. A removal is dated when the lake first saw
-- it (the full listing, weekly by default), so the drop may come a few days late.
WITH holdings AS (
  SELECT kind, CAST(added_at AS DATE) AS added_day, CAST(removed_at AS DATE) AS removed_day
  FROM saved_library
),
days AS (
  SELECT added_day AS day FROM holdings
  UNION
  SELECT removed_day AS day FROM holdings WHERE removed_day IS NOT NULL
),
kinds AS (
  SELECT DISTINCT kind FROM holdings
)
SELECT d.day, k.kind, count(h.kind) AS items
FROM days AS d
CROSS JOIN kinds AS k
LEFT JOIN holdings AS h
  ON h.kind = k.kind AND h.added_day <= d.day AND (h.removed_day IS NULL OR h.removed_day > d.day)
GROUP BY d.day, k.kind
ORDER BY d.day, k.kind
