#!/usr/bin/env node
/**
 * A local Neo4j 5 with Open GDS and Neo4j Browser, without Docker: `npm run neo4j -- start|stop|status|env|admin`.
 *
 * Versions are pinned in one place, neo4j/pom.xml. `start` asks Maven (into ~/.m2) for the dependency closure of the
 * pom's `server` profile (org.neo4j:neo4j + org.neo4j.client:neo4j-browser) and `gds` profile (Open GDS), and lays
 * out NEO4J_HOME once in a cache outside the repository:
 *   ~/.cache/swarmscope/neo4j-<neo4j>-gds-<gds>-browser-<browser>/   (SWARMSCOPE_CACHE_DIR replaces ~/.cache/swarmscope)
 *     lib/      the server's closure (hard links into ~/.m2, copies if that fails)
 *     plugins/  GDS's closure minus every org.neo4j:* jar and every jar whose group:artifact lib/ already has (the
 *               server's version wins)
 * A running server's state lives in an instance folder (conf/, data/, logs/, run/, import/), by default
 * ~/.cache/swarmscope/neo4j-instance; SWARMSCOPE_NEO4J_INSTANCE picks another one (CI uses a fresh temporary one, and
 * the import test a second one). conf/neo4j.conf is rewritten at every start from the environment:
 *   SWARMSCOPE_NEO4J_BOLT_PORT (7687), SWARMSCOPE_NEO4J_HTTP_PORT (7474)  — both bound to 127.0.0.1 only; `auto`
 *                                       picks free ports (CI); the chosen ones are kept in <instance>/run/
 *   SWARMSCOPE_NEO4J_PLUGINS=none       start without GDS (faster; the import test's second instance)
 *   SWARMSCOPE_NEO4J_HEAP (1g), SWARMSCOPE_NEO4J_PAGECACHE (512m)          — sized for a 2-core machine shared with tests
 *   NEO4J_PASSWORD: when set, auth is on and the initial password of user neo4j is set to it (at least 8 characters);
 *                   when unset, auth is off (tests, a laptop).
 * The server is started as Neo4j's own launcher would (`org.neo4j.server.startup.Neo4jCommand console --dry-run`
 * prints the server JVM's command line with the conf's heap and `server.jvm.additional` flags); that JVM runs
 * detached, its pid in <instance>/run/swarmscope-neo4j.pid and its console in <instance>/logs/console.log. `start`
 * returns once a Bolt session answers `RETURN gds.version()`, and fails loudly (exit 1, the log's tail on stderr,
 * the JVM stopped) when the JVM dies or SWARMSCOPE_NEO4J_START_TIMEOUT seconds (240) pass first.
 * `stop` sends SIGTERM and waits for a clean shutdown (SIGKILL after 90 s); `stop --kill` sends SIGKILL at once.
 * `status` exits 0 when running, 1 when not.
 * `env` prints the shell exports the live tests read (NEO4J_URI, NEO4J_HOME, NEO4J_CONF, SWARMSCOPE_NEO4J_HTTP).
 * `admin ARGS…` runs `neo4j-admin ARGS…` (Neo4jAdminCommand) against the instance's conf.
 * Java: JAVA_HOME's, else the `java` on PATH (Neo4j 5.26 runs on Java 17 and 21); Maven: `mvn` on PATH.
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const POM = path.join(ROOT, 'neo4j', 'pom.xml');

function fail(message) {
  process.stderr.write(`neo4j: ${message}\n`);
  process.exit(1);
}

function versions() {
  const pom = fs.readFileSync(POM, 'utf8');
  const read = (name) => {
    const match = new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom);
    if (!match) fail(`${POM} has no <${name}>`);
    return match[1].trim();
  };
  return { neo4j: read('neo4j.version'), gds: read('gds.version'), browser: read('browser.version') };
}

const cacheRoot = () => process.env.SWARMSCOPE_CACHE_DIR || path.join(os.homedir(), '.cache', 'swarmscope');
const homeDir = (v) => path.join(cacheRoot(), `neo4j-${v.neo4j}-gds-${v.gds}-browser-${v.browser}`);
const instanceDir = () => path.resolve(process.env.SWARMSCOPE_NEO4J_INSTANCE || path.join(cacheRoot(), 'neo4j-instance'));
const pidFile = (instance) => path.join(instance, 'run', 'swarmscope-neo4j.pid');
const portsFile = (instance) => path.join(instance, 'run', 'swarmscope-neo4j-ports.json');
const java = () => (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java');

/** A free loopback port (for SWARMSCOPE_NEO4J_*_PORT=auto: CI, or a second instance beside a running one). */
function freePort() {
  const probe = spawnSync(process.execPath, ['-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();})"], { encoding: 'utf8' });
  const port = Number(probe.stdout);
  if (!Number.isInteger(port) || port <= 0) fail('could not find a free loopback port');
  return port;
}

/** The instance's ports: chosen at start (from the environment, or free ones for `auto`), read back by the other commands. */
function ports(instance, choose = false) {
  if (!choose) {
    try { return JSON.parse(fs.readFileSync(portsFile(instance), 'utf8')); } catch { /* not started yet: the environment's */ }
  }
  const pick = (name, fallback) => {
    const value = process.env[name];
    if (value === 'auto') return choose ? freePort() : fallback;
    const port = Number(value || fallback);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name}=${value}: expected a port number or auto`);
    return port;
  };
  const chosen = { bolt: pick('SWARMSCOPE_NEO4J_BOLT_PORT', 7687), http: pick('SWARMSCOPE_NEO4J_HTTP_PORT', 7474) };
  if (choose) fs.writeFileSync(portsFile(instance), `${JSON.stringify(chosen)}\n`);
  return chosen;
}
const consoleLog = (instance) => path.join(instance, 'logs', 'console.log');

/** One Maven profile's runtime closure: [{ group, artifact, file }]. */
function resolveProfile(profile) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-mvn-')), `${profile}.txt`);
  const args = ['-B', '-q', '-f', POM, '-P', profile, 'dependency:list', `-DoutputFile=${out}`,
    '-DoutputAbsoluteArtifactFilename=true', '-DincludeScope=runtime'];
  process.stderr.write(`neo4j: resolving the ${profile} closure with Maven (mvn ${args.slice(4, 6).join(' ')} …)\n`);
  const run = spawnSync('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (run.error) fail(`cannot run mvn (${run.error.message}); install Maven (apt-get install -y maven)`);
  if (run.status !== 0) fail(`mvn failed for profile ${profile}:\n${(run.stdout + run.stderr).trim().slice(-4000)}`);
  const jars = [];
  for (const raw of fs.readFileSync(out, 'utf8').split('\n')) {
    const line = raw.replace(/ -- module .*$/, '').trim();
    const fields = line.split(':');
    if (fields.length < 6 || !line.endsWith('.jar')) continue;
    // group:artifact:type[:classifier]:version:scope:/absolute/path.jar
    const slash = line.indexOf(':/');
    jars.push({ group: fields[0], artifact: fields[1], file: line.slice(slash + 1) });
  }
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  if (jars.length === 0) fail(`mvn listed no jars for profile ${profile}`);
  return jars;
}

function linkOrCopy(file, dir) {
  const target = path.join(dir, path.basename(file));
  try { fs.linkSync(file, target); } catch { fs.copyFileSync(file, target); }
}

/** Lays out NEO4J_HOME (lib/, plugins/) once; a marker file says it is complete, so a killed layout is redone. */
function ensureHome(v) {
  const home = homeDir(v);
  if (fs.existsSync(path.join(home, '.complete'))) return home;
  const server = resolveProfile('server');
  const gds = resolveProfile('gds');
  const staging = `${home}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'lib'), { recursive: true });
  fs.mkdirSync(path.join(staging, 'plugins'), { recursive: true });
  const inLib = new Set();
  for (const jar of server) { linkOrCopy(jar.file, path.join(staging, 'lib')); inLib.add(`${jar.group}:${jar.artifact}`); }
  let plugins = 0;
  for (const jar of gds) {
    if (jar.group === 'org.neo4j' || inLib.has(`${jar.group}:${jar.artifact}`)) continue;
    linkOrCopy(jar.file, path.join(staging, 'plugins'));
    plugins++;
  }
  fs.writeFileSync(path.join(staging, '.complete'), `${JSON.stringify({ ...v, lib: server.length, plugins })}\n`);
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(staging, home);
  process.stderr.write(`neo4j: laid out ${home} (lib: ${server.length} jars, plugins: ${plugins} jars)\n`);
  return home;
}

const JVM_FLAGS = [
  // Neo4j 5.26's stock server.jvm.additional set; the --add-opens are required on JDK 17.
  '-XX:+UseG1GC', '-XX:-OmitStackTraceInFastThrow', '-XX:+UnlockExperimentalVMOptions', '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC', '-Djdk.nio.maxCachedBufferSize=1024', '-Dio.netty.tryReflectionSetAccessible=true',
  '-Djdk.tls.ephemeralDHKeySize=2048', '-Djdk.tls.rejectClientInitiatedRenegotiation=true',
  '-XX:FlightRecorderOptions=stackdepth=256', '-XX:+UnlockDiagnosticVMOptions', '-XX:+DebugNonSafepoints',
  '--add-opens=java.base/java.nio=ALL-UNNAMED', '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED', '--enable-native-access=ALL-UNNAMED',
  '-Dlog4j2.disable.jmx=true', '-Dlog4j.layout.jsonTemplate.maxStringLength=32768', '-XX:+ExitOnOutOfMemoryError',
];

function writeConf(home, instance, port) {
  for (const dir of ['conf', 'data', 'logs', 'run', 'import']) fs.mkdirSync(path.join(instance, dir), { recursive: true });
  const heap = process.env.SWARMSCOPE_NEO4J_HEAP || '1g';
  const lines = [
    '# Written by scripts/neo4j.js at every start; edit the environment, not this file.',
    'server.default_listen_address=127.0.0.1',
    `server.bolt.listen_address=127.0.0.1:${port.bolt}`,
    'server.bolt.tls_level=DISABLED',
    'server.http.enabled=true',
    `server.http.listen_address=127.0.0.1:${port.http}`,
    'server.https.enabled=false',
    `server.directories.data=${path.join(instance, 'data')}`,
    `server.directories.logs=${path.join(instance, 'logs')}`,
    `server.directories.run=${path.join(instance, 'run')}`,
    `server.directories.import=${path.join(instance, 'import')}`,
    `server.directories.plugins=${process.env.SWARMSCOPE_NEO4J_PLUGINS === 'none' ? path.join(instance, 'no-plugins') : path.join(home, 'plugins')}`,
    `server.memory.heap.initial_size=${heap}`,
    `server.memory.heap.max_size=${heap}`,
    `server.memory.pagecache.size=${process.env.SWARMSCOPE_NEO4J_PAGECACHE || '512m'}`,
    'db.tx_log.rotation.retention_policy=2 files',
    `dbms.security.auth_enabled=${process.env.NEO4J_PASSWORD ? 'true' : 'false'}`,
    'dbms.security.procedures.unrestricted=gds.*',
    'dbms.usage_report.enabled=false',
    ...JVM_FLAGS.map((flag) => `server.jvm.additional=${flag}`),
  ];
  fs.writeFileSync(path.join(instance, 'conf', 'neo4j.conf'), `${lines.join('\n')}\n`);
}

const javaEnv = (home, instance) => ({ ...process.env, NEO4J_HOME: home, NEO4J_CONF: path.join(instance, 'conf') });
const launcherArgs = (home, mainClass, args) => ['-cp', `${path.join(home, 'lib')}/*`, mainClass, ...args];

/** Splits the launcher's --dry-run line (space-separated, arguments with spaces in double quotes). */
function splitCommandLine(line) {
  const parts = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let match;
  while ((match = re.exec(line))) parts.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]);
  return parts;
}

function runningPid(instance) {
  let pid;
  try { pid = Number(fs.readFileSync(pidFile(instance), 'utf8').trim()); } catch { return undefined; }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try { process.kill(pid, 0); } catch { return undefined; }
  // A recycled pid is not ours: the server JVM's command line names the instance's conf folder.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(path.join(instance, 'conf'))) return undefined;
  } catch { /* no /proc: trust the pid */ }
  return pid;
}

function logTail(instance, lines = 60) {
  const parts = [];
  for (const file of [consoleLog(instance), path.join(instance, 'logs', 'neo4j.log'), path.join(instance, 'logs', 'debug.log')]) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    parts.push(`---- ${file} (last ${lines} lines) ----\n${text}`);
  }
  return parts.join('\n');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function boltAnswers(port, timeoutMs = 5000) {
  const neo4j = require('neo4j-driver');
  const auth = process.env.NEO4J_PASSWORD ? neo4j.auth.basic(process.env.NEO4J_USER || 'neo4j', process.env.NEO4J_PASSWORD) : undefined;
  const driver = neo4j.driver(`bolt://127.0.0.1:${port.bolt}`, auth, { connectionTimeout: timeoutMs, maxConnectionPoolSize: 1, logging: undefined });
  try {
    const withGds = process.env.SWARMSCOPE_NEO4J_PLUGINS !== 'none';
    const result = await driver.executeQuery(withGds ? 'RETURN gds.version() AS gds' : "RETURN 'not loaded' AS gds");
    return String(result.records[0].get('gds'));
  } finally {
    await driver.close();
  }
}

async function start() {
  const v = versions();
  const home = ensureHome(v);
  const instance = instanceDir();
  const already = runningPid(instance);
  if (already) {
    process.stderr.write(`neo4j: already running (pid ${already}) at bolt://127.0.0.1:${ports(instance).bolt}\n`);
    return;
  }
  fs.mkdirSync(path.join(instance, 'run'), { recursive: true });
  const port = ports(instance, true);
  writeConf(home, instance, port);
  if (process.env.NEO4J_PASSWORD && !fs.existsSync(path.join(instance, 'data', 'dbms', 'auth.ini'))) {
    const set = spawnSync(java(), launcherArgs(home, 'org.neo4j.server.startup.Neo4jAdminCommand',
      ['dbms', 'set-initial-password', process.env.NEO4J_PASSWORD]), { env: javaEnv(home, instance), encoding: 'utf8' });
    if (set.status !== 0) fail(`setting the initial password failed: ${(set.stdout + set.stderr).trim()}`);
  }
  const dry = spawnSync(java(), launcherArgs(home, 'org.neo4j.server.startup.Neo4jCommand', ['console', '--dry-run']),
    { env: javaEnv(home, instance), encoding: 'utf8' });
  const commandLine = (dry.stdout || '').trim().split('\n').pop() || '';
  if (dry.status !== 0 || !commandLine.includes('EntryPoint')) fail(`the launcher's --dry-run failed:\n${(dry.stdout + dry.stderr).trim()}`);
  const [serverJava, ...args] = splitCommandLine(commandLine);
  const log = fs.openSync(consoleLog(instance), 'a');
  const child = spawn(serverJava, args, { env: javaEnv(home, instance), detached: true, stdio: ['ignore', log, log], cwd: instance });
  fs.closeSync(log);
  fs.writeFileSync(pidFile(instance), `${child.pid}\n`);
  let exited;
  child.on('exit', (code, signal) => { exited = signal ?? code; });
  child.unref();
  process.stderr.write(`neo4j: starting Neo4j ${v.neo4j} + GDS ${v.gds} (pid ${child.pid}, instance ${instance})\n`);

  const timeoutSeconds = Number(process.env.SWARMSCOPE_NEO4J_START_TIMEOUT || 240);
  const started = Date.now();
  let lastError = '';
  while (Date.now() - started < timeoutSeconds * 1000) {
    if (exited !== undefined) {
      fs.rmSync(pidFile(instance), { force: true });
      fail(`the server JVM exited (${exited}) before Bolt answered\n${logTail(instance)}`);
    }
    try {
      const gds = await boltAnswers(port);
      process.stderr.write(`neo4j: ready in ${((Date.now() - started) / 1000).toFixed(1)} s — bolt://127.0.0.1:${port.bolt}, `
        + `Browser http://127.0.0.1:${port.http}/browser/, GDS ${gds}, auth ${process.env.NEO4J_PASSWORD ? 'on (NEO4J_PASSWORD)' : 'off'}\n`);
      return;
    } catch (error) {
      lastError = error.message;
      await sleep(1000);
    }
  }
  await stopPid(instance, child.pid);
  fail(`Bolt did not answer within ${timeoutSeconds} s (last error: ${lastError})\n${logTail(instance)}`);
}

async function stopPid(instance, pid, signal = 'SIGTERM') {
  try { process.kill(pid, signal); } catch { /* already gone */ }
  const started = Date.now();
  while (Date.now() - started < 90_000) {
    try { process.kill(pid, 0); } catch { fs.rmSync(pidFile(instance), { force: true }); return true; }
    await sleep(250);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  fs.rmSync(pidFile(instance), { force: true });
  return false;
}

/** `stop`: SIGTERM and a clean shutdown; `stop --kill`: SIGKILL at once (a throw-away instance whose store is deleted next). */
async function stop(kill) {
  const instance = instanceDir();
  const pid = runningPid(instance);
  if (!pid) {
    fs.rmSync(pidFile(instance), { force: true });
    process.stderr.write('neo4j: not running\n');
    return;
  }
  const clean = await stopPid(instance, pid, kill ? 'SIGKILL' : 'SIGTERM');
  process.stderr.write(kill ? `neo4j: killed (pid ${pid})\n` : clean ? `neo4j: stopped (pid ${pid})\n` : `neo4j: pid ${pid} did not stop in 90 s; killed\n`);
}

async function status() {
  const instance = instanceDir();
  const pid = runningPid(instance);
  if (!pid) {
    process.stdout.write(`stopped (instance ${instance})\n`);
    process.exitCode = 1;
    return;
  }
  const port = ports(instance);
  let bolt;
  try { bolt = `Bolt answers, GDS ${await boltAnswers(port)}`; } catch (error) { bolt = `Bolt does not answer yet (${error.message})`; }
  process.stdout.write(`running: pid ${pid}, bolt://127.0.0.1:${port.bolt}, http://127.0.0.1:${port.http}/browser/; ${bolt}; instance ${instance}\n`);
}

function env() {
  const v = versions();
  const instance = instanceDir();
  const port = ports(instance);
  const lines = {
    NEO4J_URI: `bolt://127.0.0.1:${port.bolt}`,
    NEO4J_HOME: homeDir(v),
    NEO4J_CONF: path.join(instance, 'conf'),
    SWARMSCOPE_NEO4J_HTTP: `http://127.0.0.1:${port.http}`,
  };
  for (const [name, value] of Object.entries(lines)) process.stdout.write(`export ${name}='${value}'\n`);
}

function admin(args) {
  const v = versions();
  const home = ensureHome(v);
  const instance = instanceDir();
  if (!fs.existsSync(path.join(instance, 'conf', 'neo4j.conf'))) {
    fs.mkdirSync(path.join(instance, 'run'), { recursive: true });
    writeConf(home, instance, ports(instance, true));
  }
  const run = spawnSync(java(), launcherArgs(home, 'org.neo4j.server.startup.Neo4jAdminCommand', args),
    { env: javaEnv(home, instance), stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'start': return start();
    case 'stop': return stop(rest.includes('--kill'));
    case 'status': return status();
    case 'env': return env();
    case 'home': process.stdout.write(`${ensureHome(versions())}\n`); return undefined;
    case 'admin': return admin(rest[0] === '--' ? rest.slice(1) : rest);
    default:
      process.stderr.write('usage: node scripts/neo4j.js start|stop [--kill]|status|env|home|admin ARGS…\n');
      process.exitCode = 2;
      return undefined;
  }
}

main().catch((error) => fail(error.stack || String(error)));
