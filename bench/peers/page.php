<?php
// page.php - the PHP-FPM peer for `make bench`: the same 2 KB page as the
// static file and the bare libfcgi program.
header('Content-Type: text/html; charset=utf-8');
$page = '<!DOCTYPE html><title>peer</title><p>' . str_repeat('Labnet. ', 251);
echo str_pad($page, 2047), "\n";
