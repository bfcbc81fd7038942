/**
 * What the pool and its workers say to each other. Messages carry plain data and typed arrays on
 * SharedArrayBuffers (which postMessage shares rather than copies); completion and errors come back
 * through a shared control block, so that the calling thread can wait for them synchronously.
 */
import type { ConvPart, ConvShape } from '../conv/conv-gemm.js';
import type { Epilogue } from '../gemm/gemm.js';
import type { OutputArray } from '../gemm/microkernel.js';
import type { PanelArray } from '../gemm/packing.js';
import type { NumericArray } from '../../../src/ir/dtype.js';

export type PanelName = 'Float32Array' | 'Float64Array';

/** Typed arrays of numbers (not bigints): what conv and GEMM operands are. */
export type NumericView = Exclude<NumericArray, BigInt64Array | BigUint64Array>;

/** Control block (Int32 slots): jobs still running, a failure flag, then the first failure's message. */
export const PENDING = 0;
export const FAILED = 1;
export const MESSAGE_LENGTH = 2;
export const MESSAGE_START = 3;
export const CONTROL_SLOTS = 512;

export interface InitMessage {
  type: 'init';
  control: Int32Array;
}

/** A convolution the workers will be asked to compute parts of; its packed weights are shared. */
export interface ConvTaskMessage {
  type: 'conv-task';
  id: number;
  shape: ConvShape;
  panels: PanelName;
  family: string;
  lo: number;
  hi: number;
  weights: PanelArray;
}

export interface ConvJobMessage {
  type: 'conv';
  task: number;
  x: NumericView;
  xShift: number;
  bias: Float64Array;
  y: OutputArray;
  part: ConvPart;
}

/** A GEMM with a constant B (a weight), packed once and shared. */
export interface GemmTaskMessage {
  type: 'gemm-task';
  id: number;
  M: number;
  N: number;
  K: number;
  panels: PanelName;
  family: string;
  packedB: PanelArray;
}

export interface GemmJobMessage {
  type: 'gemm';
  task: number;
  a: { data: NumericView; offset: number; rowStride: number; colStride: number; shift?: number };
  C: OutputArray;
  cOff: number;
  ldc: number;
  ep: Epilogue;
  rows: [number, number];
  cols: [number, number];
}

/** The task's kernel was dropped on the calling thread: workers forget it too. */
export interface DropMessage {
  type: 'drop';
  id: number;
}

export type ToWorker = InitMessage | ConvTaskMessage | ConvJobMessage | GemmTaskMessage | GemmJobMessage | DropMessage;

export type FromWorker = { type: 'ready' };
