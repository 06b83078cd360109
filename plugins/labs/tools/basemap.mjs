#!/usr/bin/env node
// basemap.mjs - build the labs map's basemap: Natural Earth land (public
// domain) from the world-atlas npm package (TopoJSON, ISC), projected onto
// the frame of plugins/labs/map.c and written as SVG path data. Run by the
// Makefile at build time; the output is a build product, never committed.
//
//   node basemap.mjs WORLD_ATLAS_DIR OUT_FILE
//
// The frame and projection below must stay in step with map.c.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const WEST = -25.0;
const EAST = 45.0;
const NORTH = 71.5;
const SOUTH = 34.0;
const WIDTH = 1000.0;
const STANDARD = 52.0; // latitude of true scale

const k = Math.cos((STANDARD * Math.PI) / 180);
const scale = WIDTH / ((EAST - WEST) * k);
const HEIGHT = (NORTH - SOUTH) * scale;
const MARGIN = 20; // rings are clipped to the frame plus this much
const MIN_STEP = 1.5; // drop points closer than this to the last one kept

const [atlasDir, outFile] = process.argv.slice(2);
if (!atlasDir || !outFile) {
  console.error('usage: basemap.mjs WORLD_ATLAS_DIR OUT_FILE');
  process.exit(2);
}
const topology = JSON.parse(readFileSync(path.join(atlasDir, 'land-50m.json'), 'utf8'));
const { scale: [sx, sy], translate: [tx, ty] } = topology.transform;

// Quantised, delta-encoded arcs to longitude/latitude.
const arcs = topology.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

// A ring's points, longitudes unwrapped: a step across the antimeridian
// (179.9 to -179.9) continues to 180.1 instead of crossing the map.
function ring(indices) {
  const points = [];
  for (const index of indices) {
    const arc = index < 0 ? [...arcs[~index]].reverse() : arcs[index];
    points.push(...(points.length ? arc.slice(1) : arc));
  }
  let shift = 0;
  const unwrapped = points.map(([lon, lat], i) => {
    if (i > 0) {
      const step = lon - points[i - 1][0];
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    return [lon + shift, lat];
  });
  // Then the whole ring by whole turns, so most of it is in [-180, 180]
  // (a ring that starts east of the antimeridian would otherwise move).
  const sorted = unwrapped.map(([lon]) => lon).sort((a, b) => a - b);
  const turn = -360 * Math.round(sorted[sorted.length >> 1] / 360);
  return unwrapped.map(([lon, lat]) => [lon + turn, lat]);
}

function project([lon, lat]) {
  return [(lon - WEST) * k * scale, (NORTH - lat) * scale];
}

// Sutherland-Hodgman: the ring clipped to the frame plus a margin, so the
// path stays small and nothing outside the frame can cross it.
const EDGES = [
  [(p) => p[0] >= -MARGIN, (a, b) => cut(a, b, 0, -MARGIN)],
  [(p) => p[0] <= WIDTH + MARGIN, (a, b) => cut(a, b, 0, WIDTH + MARGIN)],
  [(p) => p[1] >= -MARGIN, (a, b) => cut(a, b, 1, -MARGIN)],
  [(p) => p[1] <= HEIGHT + MARGIN, (a, b) => cut(a, b, 1, HEIGHT + MARGIN)],
];
function cut(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
}
function clip(points) {
  let out = points;
  for (const [inside, intersect] of EDGES) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const current = input[i];
      const previous = input[(i + input.length - 1) % input.length];
      if (inside(current)) {
        if (!inside(previous)) out.push(intersect(previous, current));
        out.push(current);
      } else if (inside(previous)) {
        out.push(intersect(previous, current));
      }
    }
    if (out.length === 0) break;
  }
  return out;
}

const polygons = [];
for (const geometry of topology.objects.land.geometries ?? [topology.objects.land]) {
  if (geometry.type === 'Polygon') polygons.push(geometry.arcs);
  else if (geometry.type === 'MultiPolygon') polygons.push(...geometry.arcs);
}

let d = '';
for (const polygon of polygons) {
  for (const indices of polygon) {
    const points = clip(ring(indices).map(project));
    let last = null;
    let part = '';
    let count = 0;
    for (const [x, y] of points) {
      if (last && Math.hypot(x - last[0], y - last[1]) < MIN_STEP) continue;
      part += `${part ? 'L' : 'M'}${x.toFixed(0)} ${y.toFixed(0)}`;
      last = [x, y];
      count++;
    }
    if (count >= 3) d += `${part}Z`;
  }
}
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, `${d}\n`);
console.log(`basemap: ${outFile}, ${d.length} bytes`);
