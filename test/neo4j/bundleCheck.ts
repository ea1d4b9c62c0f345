/** Reading a neo4j-admin bundle back the way the importer would: ID spaces, endpoints, duplicate ids. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';

export interface ParsedFile { header: string[]; rows: string[][] }

export function readCsv(file: string): ParsedFile {
  const records = parse(fs.readFileSync(file, 'utf8'), { relax_column_count: false }) as string[][];
  return { header: records[0], rows: records.slice(1) };
}

/** Checks a bundle the way the importer would: ID spaces, endpoints, duplicates. Returns node ids per space. */
export function checkBundle(dir: string, files: { file: string; kind: string }[]): Map<string, Set<string>> {
  const spaces = new Map<string, Set<string>>();
  for (const f of files.filter((x) => x.kind === 'nodes')) {
    const { header, rows } = readCsv(path.join(dir, f.file));
    const idColumn = header.findIndex((h) => /:ID\(/.test(h));
    const space = /:ID\((\w+)\)/.exec(header[idColumn])![1];
    const ids = spaces.get(space) ?? new Set<string>();
    for (const row of rows) {
      if (ids.has(row[idColumn])) throw new Error(`${f.file}: duplicate id ${row[idColumn]} in space ${space}`);
      ids.add(row[idColumn]);
    }
    spaces.set(space, ids);
  }
  for (const f of files.filter((x) => x.kind === 'relationships')) {
    const { header, rows } = readCsv(path.join(dir, f.file));
    const start = header.findIndex((h) => h.startsWith(':START_ID('));
    const end = header.findIndex((h) => h.startsWith(':END_ID('));
    const startSpace = spaces.get(/\((\w+)\)/.exec(header[start])![1])!;
    const endSpace = spaces.get(/\((\w+)\)/.exec(header[end])![1])!;
    rows.forEach((row, i) => {
      if (!startSpace.has(row[start])) throw new Error(`${f.file}:${i + 2}: dangling start ${row[start]}`);
      if (!endSpace.has(row[end])) throw new Error(`${f.file}:${i + 2}: dangling end ${row[end]}`);
    });
  }
  return spaces;
}

