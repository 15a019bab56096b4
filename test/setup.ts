// Loaded by mocha before every spec (see .mocharc.json).
process.env.NODE_ENV = process.env.NODE_ENV ?? 'test';
