/**
 * What the pool and its workers say to each other. Messages carry plain data and typed arrays on
 * SharedArrayBuffers (which postMessage shares rather than copies). A job is a list of parts that
 * every thread claims from through a shared control block (claim.ts); completion and errors come
 * back through the same block, so that the calling thread can wait for them synchronously.
 */
import type { ConvPart, ConvShape } from '../conv/conv-gemm.js';
import type { WinogradPart } from '../conv/winograd.js';
import type { WinogradVariantName } from '../conv/winograd-transforms.js';
import type { Epilogue } from '../gemm/gemm.js';
import type { OutputArray } from '../gemm/microkernel.js';
import type { PanelArray } from '../gemm/packing.js';
import type { NumericArray } from '../../../src/ir/dtype.js';
import type { MaxPoolPlanes, PoolOutput } from '../pool/max-pool-planes.js';

export type PanelName = 'Float32Array' | 'Float64Array';

/** Typed arrays of numbers (not bigints): what conv and GEMM operands are. */
export type NumericView = Exclude<NumericArray, BigInt64Array | BigUint64Array>;

/**
 * Control block (Int32 slots): the running job's id, the next part to claim (the id's low 15 bits
 * << 16 | part index), parts not yet finished, a failure flag, then the first failure's message.
 */
export const JOB = 0;
export const NEXT = 1;
export const PENDING = 2;
export const FAILED = 3;
export const MESSAGE_LENGTH = 4;
export const MESSAGE_START = 5;
export const CONTROL_SLOTS = 512;

export interface InitMessage {
  type: 'init';
  control: Int32Array;
}

/** ConvNumerics as data: the panel array type by name. */
export interface NumericsMessage {
  panels: PanelName;
  family: string;
  lo: number;
  hi: number;
}

/** A convolution the workers will be asked to compute parts of; its packed weights are shared. */
export interface ConvTaskMessage extends NumericsMessage {
  type: 'conv-task';
  id: number;
  shape: ConvShape;
  weights: PanelArray;
}

/** A Winograd convolution: its variant by name, its GEMM orientation, its transformed weights shared. */
export interface WinogradTaskMessage extends NumericsMessage {
  type: 'winograd-task';
  id: number;
  shape: ConvShape;
  variant: WinogradVariantName;
  /** Tiles as the GEMMs' rows, output channels as their column panels. */
  transposed: boolean;
  packedU: Float32Array;
}

export interface WinogradJobMessage extends JobHeader {
  type: 'winograd';
  task: number;
  x: NumericView;
  bias: Float64Array;
  y: Float32Array;
  parts: WinogradPart[];
}

/** Fields of every job: its id in the control block, and how many parts it has. */
export interface JobHeader {
  job: number;
  count: number;
}

export interface ConvJobMessage extends JobHeader {
  type: 'conv';
  task: number;
  x: NumericView;
  xShift: number;
  bias: Float64Array;
  y: OutputArray;
  parts: ConvPart[];
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

/** A block of C: rows [i0, i1), columns [j0, j1). */
export interface GemmBlock {
  rows: [number, number];
  cols: [number, number];
}

export interface GemmJobMessage extends JobHeader {
  type: 'gemm';
  task: number;
  a: { data: NumericView; offset: number; rowStride: number; colStride: number; shift?: number };
  C: OutputArray;
  cOff: number;
  ldc: number;
  ep: Epilogue;
  blocks: GemmBlock[];
}

/** The task's kernel was dropped on the calling thread: workers forget it too. */
export interface DropMessage {
  type: 'drop';
  id: number;
}

/** A MaxPool's geometry (its taps copied to the workers once). */
export interface MaxPoolTaskMessage {
  type: 'max-pool-task';
  id: number;
  geometry: MaxPoolPlanes;
}

export interface MaxPoolJobMessage extends JobHeader {
  type: 'max-pool';
  task: number;
  x: NumericView;
  y: PoolOutput;
  /** Plane ranges [p0, p1). */
  ranges: [number, number][];
}

export type JobMessage = ConvJobMessage | WinogradJobMessage | GemmJobMessage | MaxPoolJobMessage;

export type ToWorker = InitMessage | ConvTaskMessage | WinogradTaskMessage | GemmTaskMessage | MaxPoolTaskMessage | JobMessage | DropMessage;

export type FromWorker = { type: 'ready' };
