/**
 * Builds the exported-model fixtures once before the tests (cached in test/fixtures/.cache, not
 * committed): tests that need them then run instead of skipping. Needs /usr/bin/python3 with
 * torch and torchvision (Debian's python3-torch, python3-torchvision; .ci/run installs them).
 */
import { execFileSync } from 'node:child_process';

const FIXTURES = ['resnet18', 'resnet18-dynamic', 'mobilenet_v2', 'transformer'];

export default function setup(): void {
  execFileSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', 'test/fixtures/.cache', ...FIXTURES], { stdio: ['ignore', 'ignore', 'inherit'] });
}
