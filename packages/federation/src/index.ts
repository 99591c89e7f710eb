export * from './schema';
export * from './connection';
export * from './server';
export * from './service';
export * from './subgraph';
export * from './loader';
export * from './validation';
export * from './gateway-client';
