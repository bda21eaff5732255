import { execFileSync } from 'child_process';
import * as path from 'path';

/** The sandbox's seeded identities (the same seed the console uses by default). */
export interface SandboxUser { name: string; password: string; ak: string; sk: string }
export interface SandboxAccount { account_name: string; users: SandboxUser[] }

export function sandboxAccount(): SandboxAccount {
  const bin = path.resolve(__dirname, '../../target/debug/hwsandbox');
  return JSON.parse(execFileSync(bin, ['--print-credentials', '--seed', '7']).toString());
}
