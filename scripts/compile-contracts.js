#!/usr/bin/env node
'use strict';
/**
 * Compiles the Solidity reference contracts in contracts/ with the pinned solc-js
 * (node_modules/solc) and writes, for each contract:
 *   abi/<Name>.json             the ABI array (input of evm-typegen)
 *   contracts/build/<Name>.json {"abi": [...], "bytecode": "0x..."} (used to deploy the devnet)
 *
 *   node scripts/compile-contracts.js          compile and write
 *   node scripts/compile-contracts.js --check  compile and compare with the files on disk;
 *                                              exit 1 naming every file that differs
 *
 * Deterministic: source unit names are repository-relative ("contracts/ICNT.sol",
 * "@openzeppelin/contracts/..."), never absolute paths, so the metadata hash embedded
 * in the bytecode, and therefore every output byte, depends only on the sources and
 * the compiler version. Any compiler error exits 1.
 */
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const ROOT = path.resolve(__dirname, '..');
const CONTRACTS_DIR = path.join(ROOT, 'contracts');
const ABI_DIR = path.join(ROOT, 'abi');
const BUILD_DIR = path.join(CONTRACTS_DIR, 'build');
const NODE_MODULES = path.join(ROOT, 'node_modules');

/** The contracts built, each in contracts/<Name>.sol. Order fixes nothing but the log. */
const CONTRACTS = ['ICNT', 'ICNVesting', 'ICNStaking', 'CapacityMarket', 'SLAOracle', 'L1StandardBridge', 'OptimismMintableERC20', 'L2StandardBridge'];

function sourceUnitName(name) {
  return `contracts/${name}.sol`;
}

function buildInput() {
  const sources = {};
  for (const name of CONTRACTS) {
    sources[sourceUnitName(name)] = {
      content: fs.readFileSync(path.join(CONTRACTS_DIR, `${name}.sol`), 'utf8'),
    };
  }
  return {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      viaIR: false,
      // Only our own units: OpenZeppelin's are compiled but not emitted.
      outputSelection: Object.fromEntries(
        CONTRACTS.map((name) => [sourceUnitName(name), { [name]: ['abi', 'evm.bytecode.object'] }]),
      ),
    },
  };
}

/**
 * Resolves imports that are not in the input: "@openzeppelin/..." (and any other
 * package) from node_modules, "contracts/..." from the repository. Paths are confined
 * to those two roots so a stray "../" cannot pull in files from elsewhere.
 */
function findImports(importPath) {
  const roots = importPath.startsWith('contracts/') ? [ROOT] : [NODE_MODULES];
  for (const root of roots) {
    const file = path.resolve(root, importPath);
    if (!file.startsWith(root + path.sep)) continue;
    if (fs.existsSync(file)) return { contents: fs.readFileSync(file, 'utf8') };
  }
  return { error: `File not found: ${importPath} (looked in ${roots.join(', ')})` };
}

function compile() {
  const input = buildInput();
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

  const diagnostics = output.errors || [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) {
    if (d.severity !== 'error') process.stderr.write(d.formattedMessage || `${d.severity}: ${d.message}\n`);
  }
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(e.formattedMessage || `error: ${e.message}\n`);
    process.stderr.write(`compile-contracts: ${errors.length} compiler error(s) with solc ${solc.version()}\n`);
    process.exit(1);
  }

  /** @type {Map<string, string>} absolute path -> exact file content */
  const files = new Map();
  for (const name of CONTRACTS) {
    const contract = output.contracts?.[sourceUnitName(name)]?.[name];
    if (!contract) {
      process.stderr.write(`compile-contracts: no contract ${name} in ${sourceUnitName(name)}\n`);
      process.exit(1);
    }
    const bytecode = contract.evm?.bytecode?.object;
    if (!bytecode) {
      process.stderr.write(`compile-contracts: ${name} has no bytecode (abstract?)\n`);
      process.exit(1);
    }
    files.set(path.join(ABI_DIR, `${name}.json`), JSON.stringify(contract.abi, null, 2) + '\n');
    files.set(
      path.join(BUILD_DIR, `${name}.json`),
      JSON.stringify({ abi: contract.abi, bytecode: `0x${bytecode}` }, null, 2) + '\n',
    );
  }
  return files;
}

function main() {
  const check = process.argv.slice(2).includes('--check');
  const files = compile();
  const rel = (f) => path.relative(ROOT, f);

  if (check) {
    const stale = [];
    for (const [file, content] of files) {
      const onDisk = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      if (onDisk !== content) stale.push(onDisk === null ? `${rel(file)} (missing)` : rel(file));
    }
    if (stale.length > 0) {
      process.stderr.write(
        `compile-contracts --check: out of date (run node scripts/compile-contracts.js):\n` +
          stale.map((f) => `  ${f}\n`).join(''),
      );
      process.exit(1);
    }
    process.stdout.write(`compile-contracts --check: ${files.size} files up to date (solc ${solc.version()})\n`);
    return;
  }

  fs.mkdirSync(ABI_DIR, { recursive: true });
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  for (const [file, content] of files) {
    const onDisk = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (onDisk !== content) fs.writeFileSync(file, content);
  }
  process.stdout.write(
    `compile-contracts: wrote ${files.size} files for ${CONTRACTS.join(', ')} (solc ${solc.version()})\n`,
  );
}

main();
