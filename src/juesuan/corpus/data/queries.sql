-- Questions asked of a corpus dataset (corpus.duckdb, or the Parquet files), in DuckDB SQL.
-- Each query is `-- name:` then `-- title:` then its SQL; `juesuan corpus report` runs every
-- one and shows its output. A figure is read from the tables where the document prints them,
-- else from what its 情况说明 states (the narrative-only reports of older years). Money stays
-- DECIMAL: 元 to 万元 is a multiplication by 0.0001 (a division would give a DOUBLE).

-- name: errors_by_rule
-- title: 各规则的错误（全部单位）
SELECT f.rule_id,
       count(*) AS errors,
       count(DISTINCT coalesce(d.unit_key, d.sha256)) AS units,
       count(DISTINCT f.sha256) AS documents
FROM findings f
JOIN documents d USING (sha256)
WHERE f.severity = 'error'
GROUP BY f.rule_id
ORDER BY errors DESC, f.rule_id;

-- name: carry_over_breaks
-- title: 年初结转和结余与上年年末结转和结余不符的单位
WITH stated AS (
    SELECT sha256,
           CASE row_key WHEN '年初结转和结余' THEN 'opening' ELSE 'closing' END AS what,
           value_yuan AS yuan,
           0.5 * pow(10, -decimals) * CASE unit WHEN '万元' THEN 10000 ELSE 1 END AS half,
           '公开01表' AS source,
           0 AS rank
    FROM cells
    WHERE table_id = '01' AND column_name = '决算数' AND value_yuan IS NOT NULL
      AND row_key IN ('年初结转和结余', '年末结转和结余')
    UNION ALL
    SELECT sha256,
           CASE WHEN subject LIKE '%年初结转和结余' THEN 'opening' ELSE 'closing' END,
           value_yuan,
           0.5 * pow(10, -decimals) * CASE unit WHEN '万元' THEN 10000 ELSE 1 END,
           '情况说明',
           ordinal
    FROM claims
    WHERE kind = 'amount' AND value_yuan IS NOT NULL AND subject NOT LIKE '%财政拨款%'
      AND (subject LIKE '%年初结转和结余' OR subject LIKE '%年末结转和结余')
),
best AS (
    SELECT * FROM stated
    QUALIFY row_number() OVER (PARTITION BY sha256, what ORDER BY rank) = 1
)
SELECT d.region, d.unit, d.year,
       CAST(o.yuan * 0.0001 AS DECIMAL(18, 2)) AS opening_wan,
       p.year AS prior_year,
       CAST(c.yuan * 0.0001 AS DECIMAL(18, 2)) AS prior_closing_wan,
       CAST((o.yuan - c.yuan) * 0.0001 AS DECIMAL(18, 2)) AS difference_wan,
       o.source AS source, c.source AS prior_source,
       d.path, p.path AS prior_path
FROM documents d
JOIN documents p ON p.sha256 = d.prior_sha256
JOIN best o ON o.sha256 = d.sha256 AND o.what = 'opening'
JOIN best c ON c.sha256 = p.sha256 AND c.what = 'closing'
WHERE abs(o.yuan - c.yuan) > o.half + c.half
ORDER BY d.region, d.unit, d.year;

-- name: sangong_by_year
-- title: 三公经费（财政拨款，决算数）按年度
WITH stated AS (
    SELECT sha256, value_yuan AS yuan, '公开07表' AS source, 0 AS rank
    FROM cells
    WHERE table_id = '07' AND row_key = '三公经费' AND column_name = '决算数/合计'
      AND value_yuan IS NOT NULL
    UNION ALL
    SELECT sha256, value_yuan, '情况说明', ordinal
    FROM claims
    WHERE kind = 'amount' AND value_yuan IS NOT NULL AND subject LIKE '%三公%经费%'
      AND subject NOT LIKE '%年初预算%' AND subject NOT LIKE '%预算数%'
),
best AS (
    SELECT * FROM stated
    QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY rank) = 1
)
SELECT d.year,
       count(*) AS documents,
       count(DISTINCT d.unit_key) AS units,
       CAST(sum(s.yuan) * 0.0001 AS DECIMAL(18, 2)) AS sangong_wan,
       string_agg(DISTINCT s.source, '、' ORDER BY s.source) AS sources
FROM best s
JOIN documents d USING (sha256)
WHERE d.status = 'audited'
GROUP BY d.year
ORDER BY d.year;

-- name: basic_by_year
-- title: 一般公共预算财政拨款基本支出按年度
WITH stated AS (
    SELECT sha256, value_yuan AS yuan, '公开05表' AS source, 0 AS rank
    FROM cells
    WHERE table_id = '05' AND row_key = '合计' AND column_name = '基本支出'
      AND value_yuan IS NOT NULL
    UNION ALL
    SELECT sha256, value_yuan, '情况说明', ordinal
    FROM claims
    WHERE kind = 'amount' AND value_yuan IS NOT NULL AND subject LIKE '%基本支出'
      AND subject NOT LIKE '%预算%'
),
best AS (
    SELECT * FROM stated
    QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY rank) = 1
)
SELECT d.year,
       count(*) AS documents,
       CAST(sum(s.yuan) * 0.0001 AS DECIMAL(18, 2)) AS basic_wan,
       string_agg(DISTINCT s.source, '、' ORDER BY s.source) AS sources
FROM best s
JOIN documents d USING (sha256)
WHERE d.status = 'audited'
GROUP BY d.year
ORDER BY d.year;
