#!/usr/bin/env node
// Offline Cypher lint for Engram: runs Neo4j's own Cypher parser and semantic
// analysis (via @neo4j-cypher/language-support) over every *.cypher file.
//
// Usage: node tools/cypher-lint/lint.mjs <dir-or-file>...
//
// Output: one `path:line:col: error|warning: message` line per diagnostic,
// then `cypher-lint: N files, N errors, N warnings`.
// Exit code: 0 = clean (warnings allowed), 1 = any error or no files found,
// 2 = bad usage / the tool itself is broken.
//
// See README.md next to this file for the header format.

import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The package's ESM build (2.0.0-next.20) uses extension-less relative imports
// that Node's ESM loader rejects, so load its CommonJS bundle instead.
const require = createRequire(import.meta.url);
let languageSupport;
try {
  languageSupport = require('@neo4j-cypher/language-support');
} catch (e) {
  process.stderr.write(
    `cypher-lint: cannot load @neo4j-cypher/language-support (${e?.code ?? e}); ` +
      'run `npm ci --prefix tools/cypher-lint` first\n',
  );
  process.exit(2);
}
const { CypherLexer, lintCypherQuery, parserWrapper, testData } = languageSupport;

const TRIVIA_TOKENS = new Set([
  CypherLexer.SPACE,
  CypherLexer.SINGLE_LINE_COMMENT,
  CypherLexer.MULTI_LINE_COMMENT,
  CypherLexer.EOF,
]);
const COMMENT_TOKENS = new Set([
  CypherLexer.SINGLE_LINE_COMMENT,
  CypherLexer.MULTI_LINE_COMMENT,
]);

// Neo4j 5.26 speaks Cypher 5; never let the linter fall back to Cypher 25.
const CYPHER_VERSION = 'CYPHER 5';

// Names our queries rely on; the tool refuses to run if the bundled signature
// catalogue ever stops providing them (e.g. after a package upgrade).
const REQUIRED_PROCEDURES = [
  'db.index.vector.queryNodes',
  'db.index.fulltext.queryNodes',
];
const REQUIRED_FUNCTIONS = [
  'vector.similarity.cosine',
  'datetime',
  'coalesce',
  'toLower',
  'randomUUID',
];
// Plugin namespaces present in the package's catalogue that Engram's Neo4j
// does not have; calling them must be reported as unknown.
const PLUGIN_NAMESPACES = ['apoc.', 'gds.'];

// Severity values from vscode-languageserver-types' DiagnosticSeverity.
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

// The package only checks `dbSchema.parameters[name] !== undefined`; the value
// is used solely for autocompletion (JS typeof), never for type checking.
// An empty map is a valid value for any declared parameter.
const PARAM_PLACEHOLDER = Object.freeze({});

const PARAM_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fatal(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

/**
 * Signatures of Neo4j's built-in functions and procedures. The package does
 * not supply them to the linter on its own: with no `functions`/`procedures`
 * in dbSchema nothing is checked at all (unknown names pass silently). Its
 * exported `testData.mockSchema` holds the catalogue dumped from a real Neo4j
 * server (including APOC and GDS); keep only Neo4j's own entries.
 */
function builtinSignatures() {
  const mock = testData?.mockSchema;
  const allFunctions = mock?.functions?.[CYPHER_VERSION];
  const allProcedures = mock?.procedures?.[CYPHER_VERSION];
  if (!allFunctions || !allProcedures) {
    fatal(
      'the installed @neo4j-cypher/language-support does not ship the ' +
        'function/procedure catalogue (testData.mockSchema) this tool relies on',
    );
  }
  const isPlugin = (name) => PLUGIN_NAMESPACES.some((ns) => name.startsWith(ns));
  const functions = Object.fromEntries(
    Object.entries(allFunctions).filter(
      ([name, fn]) => fn.isBuiltIn === true && !isPlugin(name),
    ),
  );
  const procedures = Object.fromEntries(
    Object.entries(allProcedures).filter(([name]) => !isPlugin(name)),
  );
  for (const name of REQUIRED_FUNCTIONS) {
    if (!functions[name]) fatal(`built-in function catalogue lacks ${name}`);
  }
  for (const name of REQUIRED_PROCEDURES) {
    if (!procedures[name]) fatal(`built-in procedure catalogue lacks ${name}`);
  }
  return { functions, procedures };
}

/** Recursively collect *.cypher files (sorted, skipping node_modules and dot-dirs). */
function collectFiles(target, out) {
  let st;
  try {
    st = statSync(target);
  } catch {
    return false;
  }
  if (st.isDirectory()) {
    const entries = readdirSync(target, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const child = join(target, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        collectFiles(child, out);
      } else if (entry.name.endsWith('.cypher')) {
        out.push(child);
      }
    }
  } else {
    // A file named explicitly is linted whatever its extension.
    out.push(target);
  }
  return true;
}

/**
 * Parse the leading `//` comment block. Returns the declared parameters
 * (name -> {line, col} of its mention) and header problems.
 */
function parseHeader(text) {
  const declared = new Map();
  const problems = [];
  let paramsLine = null;
  const lines = text.split(/\r?\n/);
  let inHeader = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('//')) inHeader = false; // end of the header block
    if (!inHeader) {
      if (/^\s*\/\/\s*params\s*:/i.test(line)) {
        problems.push({
          line: i + 1,
          col: 1,
          severity: 'error',
          message: '"// params:" must be in the leading comment header, before the query',
        });
      }
      continue;
    }
    const m = /^(\s*\/\/\s*params\s*:)(.*)$/i.exec(line);
    if (!m) continue;
    if (paramsLine !== null) {
      problems.push({
        line: i + 1,
        col: 1,
        severity: 'error',
        message: `duplicate "// params:" header line (first one is on line ${paramsLine})`,
      });
      continue;
    }
    paramsLine = i + 1;
    const body = m[2];
    if (/^\s*none\s*$/i.test(body)) continue;
    let offset = m[1].length;
    for (const rawPart of body.split(',')) {
      const lead = rawPart.length - rawPart.trimStart().length;
      const col = offset + lead + 1;
      offset += rawPart.length + 1;
      let name = rawPart.trim();
      if (name === '') continue;
      if (name.startsWith('$')) name = name.slice(1);
      if (name.startsWith('`') && name.endsWith('`') && name.length > 1) {
        name = name.slice(1, -1);
      }
      if (!PARAM_NAME_RE.test(name)) {
        problems.push({
          line: i + 1,
          col,
          severity: 'error',
          message: `invalid parameter name "${rawPart.trim()}" in "// params:" header`,
        });
        continue;
      }
      if (declared.has(name)) {
        problems.push({
          line: i + 1,
          col,
          severity: 'warning',
          message: `parameter $${name} is listed twice in "// params:" header`,
        });
        continue;
      }
      declared.set(name, { line: i + 1, col });
    }
  }
  return { declared, problems };
}

function unbacktick(name) {
  return name.startsWith('`') && name.endsWith('`') && name.length > 1
    ? name.slice(1, -1)
    : name;
}

/**
 * The package splits the text on `;` and reports a comment-only chunk after
 * the final `;` (e.g. `RETURN x; // done`) as a syntax error, which Neo4j
 * itself accepts. Return the text with such trailing comments blanked out
 * (newlines kept, so positions do not move), or the text unchanged.
 */
function blankTrailingComments(text, parsed) {
  const stmts = parsed.statementsParsing;
  const all = stmts.flatMap((s) => s.tokens);
  const rebuilt = all
    .filter((t) => t.type !== CypherLexer.EOF)
    .map((t) => t.text)
    .join('');
  if (rebuilt !== text) return text; // unexpected tokenisation: leave alone
  let changed = false;
  const pieces = stmts.map((s, idx) => {
    const commentOnly =
      idx > 0 &&
      s.tokens.every((t) => TRIVIA_TOKENS.has(t.type)) &&
      s.tokens.some((t) => COMMENT_TOKENS.has(t.type));
    return s.tokens
      .filter((t) => t.type !== CypherLexer.EOF)
      .map((t) => {
        if (!commentOnly || !COMMENT_TOKENS.has(t.type)) return t.text;
        changed = true;
        return t.text.replace(/[^\r\n]/g, ' ');
      })
      .join('');
  });
  return changed ? pieces.join('') : text;
}

function lintFile(text, signatures) {
  const diagnostics = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // strip BOM

  const { declared, problems } = parseHeader(text);
  diagnostics.push(...problems);

  let parsed = parserWrapper.parse(text, false);
  const lintText = blankTrailingComments(text, parsed);
  if (lintText !== text) {
    text = lintText;
    parsed = parserWrapper.parse(text, false);
  }

  // One statement per file: a single trailing `;` is fine, anything after it is not.
  const statements = parsed.statementsParsing.filter(
    (s) => s.command.type !== 'cypher' || s.command.statement.trim() !== '',
  );
  if (statements.length === 0) {
    diagnostics.push({
      line: 1,
      col: 1,
      severity: 'error',
      message: 'file contains no Cypher statement',
    });
    return diagnostics;
  }
  if (statements.length > 1) {
    const start = statements[1].command.start;
    diagnostics.push({
      line: start?.line ?? 1,
      col: (start?.column ?? 0) + 1,
      severity: 'error',
      message: `file contains ${statements.length} statements; exactly one statement per file is allowed`,
    });
  }

  // Neo4j 5.26 only understands Cypher 5; an explicit `CYPHER 25` prefix
  // would make the package lint with Cypher 25 rules instead.
  for (const s of statements) {
    if (s.cypherVersion && s.cypherVersion !== CYPHER_VERSION) {
      const tok = s.tokens.find((t) => !TRIVIA_TOKENS.has(t.type)) ?? s.tokens[0];
      diagnostics.push({
        line: tok?.line ?? 1,
        col: (tok?.column ?? 0) + 1,
        severity: 'error',
        message: `${s.cypherVersion} is not supported: Engram targets Neo4j 5.26, which only runs ${CYPHER_VERSION}`,
      });
    }
  }

  const dbSchema = {
    defaultLanguage: CYPHER_VERSION,
    functions: { [CYPHER_VERSION]: signatures.functions },
    procedures: { [CYPHER_VERSION]: signatures.procedures },
    parameters: Object.fromEntries(
      [...declared.keys()].map((name) => [name, PARAM_PLACEHOLDER]),
    ),
    // labels / relationshipTypes / propertyKeys deliberately omitted: the
    // package only warns about unknown labels when both lists are given, and
    // offline we have no database to take them from.
  };

  const seen = new Set();
  for (const d of lintCypherQuery(text, dbSchema, false)) {
    const diag = {
      line: d.range.start.line + 1,
      col: d.range.start.character + 1,
      severity: SEVERITY[d.severity] ?? 'error',
      message: d.message.replace(/\s*\n\s*/g, ' ').trim(),
    };
    const key = `${diag.line}:${diag.col}:${diag.severity}:${diag.message}`;
    if (seen.has(key)) continue; // parser and semantic analysis may both report it
    seen.add(key);
    diagnostics.push(diag);
  }

  const used = new Set(
    parsed.statementsParsing.flatMap((s) =>
      s.collectedParameters.map((p) => unbacktick(p.name)),
    ),
  );
  for (const [name, pos] of declared) {
    if (!used.has(name)) {
      diagnostics.push({
        line: pos.line,
        col: pos.col,
        severity: 'warning',
        message: `parameter $${name} is declared in the "// params:" header but never used`,
      });
    }
  }

  return diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function main(argv) {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) {
    const usage =
      'usage: node tools/cypher-lint/lint.mjs <dir-or-file>...\n' +
      'Lints every *.cypher file (directories are searched recursively) with\n' +
      "Neo4j's Cypher 5 parser and semantic analysis.\n";
    if (argv.length === 0) {
      process.stderr.write(usage);
      return 2;
    }
    process.stdout.write(usage);
    return 0;
  }

  let errors = 0;
  let warnings = 0;
  const files = [];
  for (const arg of argv) {
    if (!collectFiles(arg, files)) {
      process.stdout.write(`${arg}: error: no such file or directory\n`);
      errors++;
    }
  }
  const unique = [...new Set(files)];

  const signatures = unique.length > 0 ? builtinSignatures() : null;
  for (const file of unique) {
    let diagnostics;
    try {
      diagnostics = lintFile(readFileSync(file, 'utf8'), signatures);
    } catch (e) {
      diagnostics = [
        {
          line: 1,
          col: 1,
          severity: 'error',
          message: `internal linter failure: ${e?.stack ?? e}`,
        },
      ];
    }
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      process.stdout.write(`${file}:${d.line}:${d.col}: ${d.severity}: ${d.message}\n`);
    }
  }

  if (unique.length === 0) {
    process.stdout.write('cypher-lint: error: no .cypher files found\n');
  }
  process.stdout.write(
    `cypher-lint: ${plural(unique.length, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
  );
  return errors > 0 || unique.length === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
