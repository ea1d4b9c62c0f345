/** The registry of subcommands: one module per command, each exporting register(program). */
import type { Command } from 'commander';
import { register as validate } from './validate';
import { register as generate } from './generate';
import { register as detect } from './detect';
import { register as sweep } from './sweep';
import { register as report } from './report';
import { register as diff } from './diff';
import { register as caseBook } from './case';
import { register as exportCommand } from './export';
import { register as evidence } from './evidence';
import { register as demo } from './demo';
import { register as history } from './history';
import { register as keygen } from './keygen';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [demo, validate, generate, sweep, report, diff, history, caseBook, detect, exportCommand, evidence, keygen];
