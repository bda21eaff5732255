import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

// The console under test: the debug build from scripts/build.sh, on its own port, data dir and sandbox.
const repo = path.resolve(__dirname, '..');
const port = Number(process.env.FLEETDESK_E2E_PORT ?? 3100);
const dataDir = path.join(os.tmpdir(), `fleetdesk-e2e-${process.pid}`);

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
  webServer: {
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
});
