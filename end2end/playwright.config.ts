import { defineConfig } from '@playwright/test';
import { sandboxAccount } from './tests/credentials';
import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';

// The console under test: the debug build from scripts/build.sh, on its own port, data dir and sandbox.
const repo = path.resolve(__dirname, '..');
const port = Number(process.env.FLEETDESK_E2E_PORT ?? 3100);
const dataDir = path.join(os.tmpdir(), `fleetdesk-e2e-${process.pid}`);

// Embedding: a second console that the test portal (another site: 127.0.0.1 frames localhost) may
// frame, the portal itself, and a third origin that may not.
export const embed = {
  fleetdesk: `http://localhost:${port + 1}`,
  portal: `http://127.0.0.1:${port + 2}`,
  other: `http://127.0.0.1:${port + 3}`,
};
const embedDataDir = `${dataDir}-embedded`;
const launchSecret = crypto.randomBytes(32).toString('hex');
const admin = sandboxAccount().users.find((u) => u.name === 'admin')!;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `${repo}/target/debug/fleetdesk`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        LEPTOS_SITE_ROOT: `${repo}/target/site`,
        FLEETDESK_BIND: `127.0.0.1:${port}`,
        FLEETDESK_DATA_DIR: dataDir,
        DATABASE_URL: `sqlite://${dataDir}/fleetdesk.db?mode=rwc`,
        FLEETDESK_SANDBOX__SIMS: '500',
        FLEETDESK_LOG: 'warn',
      },
    },
    {
      command: `${repo}/target/debug/fleetdesk`,
      url: `http://127.0.0.1:${port + 1}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        LEPTOS_SITE_ROOT: `${repo}/target/site`,
        FLEETDESK_BIND: `127.0.0.1:${port + 1}`,
        FLEETDESK_PUBLIC_URL: embed.fleetdesk,
        FLEETDESK_DATA_DIR: embedDataDir,
        DATABASE_URL: `sqlite://${embedDataDir}/fleetdesk.db?mode=rwc`,
        FLEETDESK_SANDBOX__SIMS: '200',
        FLEETDESK_EMBED__ALLOWED_ORIGINS: `["${embed.portal}"]`,
        FLEETDESK_EMBED__LAUNCH_SECRET: launchSecret,
        FLEETDESK_LOG: 'warn',
      },
    },
    {
      command: `node ${repo}/end2end/portal/server.js`,
      url: `${embed.portal}/`,
      reuseExistingServer: false,
      timeout: 30_000,
      env: {
        FLEETDESK_URL: embed.fleetdesk,
        FLEETDESK_BACKEND: `http://127.0.0.1:${port + 1}`,
        LAUNCH_SECRET: launchSecret,
        PORTAL_AK: admin.ak,
        PORTAL_SK: admin.sk,
        PORTAL_PORT: String(port + 2),
        OTHER_PORT: String(port + 3),
      },
    },
  ],
});
