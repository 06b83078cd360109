<?php
// labs.php - the PHP-FPM peer of the labs list for `make bench`: what a
// PHP developer would write for GET /labs (first page, no filters, in
// English). The same five statements as plugins/labs/list.c and the
// vocabulary service run (one page of labs by name, the facet counts, the
// labels of three vocabulary schemes), through PDO with a persistent
// connection and server-side prepared statements, on the same database
// (named placeholders: PDO numbers them $1, $2... itself, and would not
// pass values to a statement written with $n);
// the same HTML as Labnet's layout and labs.xsl produce, every value
// escaped with htmlspecialchars. Reads the database socket directory and
// the site's base URL from the FastCGI parameters LABNET_PGHOST and
// LABNET_BASE (bench/bench.mjs sets them).

const COLUMNS = "id, slug, name, institution, kind, country, city, address, "
    . "latitude, longitude, website, email, phone, description, "
    . "array_to_string(disciplines, ' '), array_to_string(facilities, ' '), "
    . "array_to_string(languages, ' '), equipment, "
    . "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    . "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
const WHERE = "status = 'published' "
    . "AND (:q::text IS NULL OR search @@ core.search_query(:q) "
    . "     OR core.search_query(:q) IS NULL) "
    . "AND (:country::text[] IS NULL OR country = ANY (:country)) "
    . "AND (:kind::text[] IS NULL OR kind = ANY (:kind)) "
    . "AND (:discipline::text[] IS NULL OR disciplines && :discipline) "
    . "AND (:facility::text[] IS NULL OR facilities && :facility) ";
const LIST_SQL = "SELECT " . COLUMNS . " FROM labs.labs WHERE " . WHERE
    . "AND (:after::bigint IS NULL OR (sort_name, id) > "
    . "     (SELECT sort_name, id FROM labs.labs WHERE id = :after)) "
    . "ORDER BY sort_name, id LIMIT :limit";
const FACETS_SQL = "WITH f AS (SELECT country, kind, disciplines, facilities, "
    . "  (:country::text[] IS NULL OR country = ANY (:country)) AS in_country, "
    . "  (:kind::text[] IS NULL OR kind = ANY (:kind)) AS in_kind, "
    . "  (:discipline::text[] IS NULL OR disciplines && :discipline) AS in_discipline, "
    . "  (:facility::text[] IS NULL OR facilities && :facility) AS in_facility "
    . " FROM labs.labs WHERE status = 'published' "
    . " AND (:q::text IS NULL OR search @@ core.search_query(:q) "
    . "      OR core.search_query(:q) IS NULL)), "
    . "ds AS (SELECT disciplines, count(*) AS n FROM f "
    . " WHERE in_country AND in_kind AND in_facility GROUP BY disciplines), "
    . "fs AS (SELECT facilities, count(*) AS n FROM f "
    . " WHERE in_country AND in_kind AND in_discipline GROUP BY facilities) "
    . "SELECT 'country', country, count(*) FROM f "
    . " WHERE in_kind AND in_discipline AND in_facility GROUP BY country "
    . "UNION ALL SELECT 'kind', kind, count(*) FROM f "
    . " WHERE in_country AND in_discipline AND in_facility GROUP BY kind "
    . "UNION ALL SELECT 'discipline', d, sum(n) FROM ds, unnest(disciplines) d "
    . " GROUP BY d "
    . "UNION ALL SELECT 'facility', x, sum(n) FROM fs, unnest(facilities) x "
    . " GROUP BY x "
    . "UNION ALL SELECT 'total', '', count(*) FROM f "
    . " WHERE in_country AND in_kind AND in_discipline AND in_facility";
const VOCAB_SQL = "SELECT t.key, coalesce(l.label, e.label, t.key) "
    . "FROM core.vocab_terms t "
    . "LEFT JOIN core.vocab_labels l "
    . " ON l.scheme = t.scheme AND l.key = t.key AND l.lang = :lang "
    . "LEFT JOIN core.vocab_labels e "
    . " ON e.scheme = t.scheme AND e.key = t.key AND e.lang = 'en' "
    . "WHERE t.scheme = :scheme ORDER BY t.position, t.key";
const KINDS = ['university-lab' => 'University lab', 'fab-lab' => 'Fab lab',
    'living-lab' => 'Living lab', 'makerspace' => 'Makerspace',
    'design-studio' => 'Design studio', 'other' => 'Other'];
const LANGS = ['en' => 'English', 'it' => 'Italiano', 'lt' => 'Lietuvių',
    'pl' => 'Polski', 'fr' => 'Français', 'nl' => 'Nederlands', 'fi' => 'Suomi'];
const PAGE = 20;

function h(?string $s): string
{
    return htmlspecialchars($s ?? '', ENT_QUOTES | ENT_HTML5, 'UTF-8');
}

$base = $_SERVER['LABNET_BASE'] ?? '';
$db = new PDO('pgsql:host=' . $_SERVER['LABNET_PGHOST'] . ';port=5432;dbname=labnet',
    'labnet_app', null, [PDO::ATTR_PERSISTENT => true,
    PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
    PDO::ATTR_EMULATE_PREPARES => false]);

$params = ['q' => null, 'country' => null, 'kind' => null, 'discipline' => null, 'facility' => null];
$list = $db->prepare(LIST_SQL);
$list->execute([...$params, 'after' => null, 'limit' => PAGE + 1]);
$labs = $list->fetchAll(PDO::FETCH_NUM);
$facets = $db->prepare(FACETS_SQL);
$facets->execute($params);
$counts = ['country' => [], 'kind' => [], 'discipline' => [], 'facility' => []];
$total = 0;
foreach ($facets->fetchAll(PDO::FETCH_NUM) as [$facet, $key, $count]) {
    if ($facet === 'total') $total = $count;
    else $counts[$facet][$key] = $count;
}
$vocab = $db->prepare(VOCAB_SQL);
$labels = [];
foreach (['country', 'discipline', 'facility'] as $scheme) {
    $vocab->execute(['scheme' => $scheme, 'lang' => 'en']);
    $labels[$scheme] = $vocab->fetchAll(PDO::FETCH_KEY_PAIR);
}
$labels['kind'] = KINDS;

header('Content-Type: text/html; charset=utf-8');
$url = fn(string $path): string => h($base . '/en' . $path);
$intro = 'Innovation labs of the network: search by name, place or topic, and narrow down by country, kind, discipline and facilities.';
echo '<!DOCTYPE html>', "\n", '<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Find a lab · Labnet</title>',
    '<link rel="stylesheet" href="', h($base), '/static/labnet.css"><link rel="icon" type="image/svg+xml" href="', h($base), '/static/favicon.svg">',
    '<link rel="canonical" href="', $url('/labs'), '">';
foreach (LANGS as $code => $name) {
    echo '<link rel="alternate" hreflang="', $code, '" href="', h("$base/$code/labs"), '">';
}
echo '<link rel="alternate" hreflang="x-default" href="', h($base), '/labs">',
    '<meta name="description" content="', h($intro), '">',
    '<link rel="alternate" type="text/csv" href="', $url('/labs.csv'), '">',
    '<link rel="alternate" type="application/geo+json" href="', $url('/labs.geojson'), '"></head><body>',
    '<a class="skip-link" href="#main">Skip to main content</a><header class="site-header"><div class="site-header-inner">',
    '<a class="site-brand" href="', $url('/'), '" rel="home"><span class="site-name">Labnet</span> ',
    '<span class="site-tagline">University innovation labs across Europe</span></a>',
    '<nav class="site-nav" aria-label="Main menu"><ul><li><a href="', $url('/labs'), '" aria-current="page">Labs</a></li></ul></nav>',
    '<nav class="account-nav" aria-label="Account"><ul><li><a href="', $url('/sign-in'), '">Sign in</a></li></ul></nav>',
    '<nav class="lang-switcher" aria-label="Language"><ul>';
foreach (LANGS as $code => $name) {
    echo '<li><a href="', h("$base/-/lang/$code?next=%2Flabs"), '" lang="', $code, '" hreflang="', $code, '"',
        $code === 'en' ? ' aria-current="true"' : '', '>', h($name), '</a></li>';
}
echo '</ul></nav></div></header><main id="main" tabindex="-1"><h1>Find a lab</h1><p>', h($intro),
    ' <a href="', $url('/labs/map'), '">See them all on a map.</a></p>',
    '<form class="labs-search" method="get" action="', $url('/labs'), '" role="search"><p>',
    '<label for="labs-q">Search</label> <input type="search" id="labs-q" name="q" value="" maxlength="200"> ',
    '<label for="labs-sort">Sort by</label> <select id="labs-sort" name="sort"><option value="name" selected>Name</option>',
    '<option value="newest">Newest first</option></select> <button type="submit">Search</button></p><div class="labs-facets">';
$legends = ['country' => 'Country', 'kind' => 'Kind of lab', 'discipline' => 'Discipline', 'facility' => 'Facilities'];
foreach ($legends as $facet => $legend) {
    $values = [];
    foreach ($labels[$facet] as $key => $label) {
        if (isset($counts[$facet][$key])) $values[$key] = $label;
    }
    if (!$values) continue;
    asort($values, SORT_STRING);
    echo '<fieldset class="labs-facet"><legend>', h($legend), '</legend><ul>';
    foreach ($values as $key => $label) {
        $id = h("facet-$facet-$key");
        echo '<li><input type="checkbox" name="', $facet, '" value="', h($key), '" id="', $id, '"> <label for="', $id, '">',
            h($label), ' <span class="labs-count">(', h($counts[$facet][$key]), ')</span></label></li>';
    }
    echo '</ul></fieldset>';
}
echo '</div><p><button type="submit">Apply filters</button> <a href="', $url('/labs'), '">Clear all filters</a></p></form>',
    '<section class="labs-results" aria-labelledby="labs-results-heading"><h2 id="labs-results-heading">Labs found: ', h($total), '</h2>';
if ($labs) {
    echo '<ul class="labs-list">';
    foreach (array_slice($labs, 0, PAGE) as $lab) {
        $terms = [];
        foreach (explode(' ', $lab[14]) as $key) {
            if ($key !== '') $terms[] = $labels['discipline'][$key] ?? $key;
        }
        echo '<li class="labs-item"><h3><a href="', $url('/labs/' . $lab[1]), '">', h($lab[2]), '</a></h3><p>',
            h($lab[3]), ' · ', h($lab[6]), ', ', h($labels['country'][$lab[5]] ?? $lab[5]), ' · ', h(KINDS[$lab[4]] ?? $lab[4]),
            '</p><p class="labs-terms">', h(implode(', ', $terms)), '</p></li>';
    }
    echo '</ul>';
} else {
    echo '<p>No lab matches these filters.</p>';
}
if (count($labs) > PAGE) {
    echo '<nav class="labs-pages" aria-label="Result pages"><ul><li><a rel="next" href="',
        $url('/labs?after=' . $labs[PAGE - 1][0]), '">Next page</a></li></ul></nav>';
}
echo '<p class="labs-downloads">Download these results: <a type="text/csv" href="', $url('/labs.csv'), '">CSV</a> · ',
    '<a type="application/geo+json" href="', $url('/labs.geojson'), '">GeoJSON</a> · ',
    '<a type="application/xml" href="', $url('/labs.xml'), '">XML</a></p></section></main>',
    '<footer class="site-footer"><p>Labnet connects the university innovation labs of the INNO-TEC-LAB network.</p></footer></body></html>', "\n";
