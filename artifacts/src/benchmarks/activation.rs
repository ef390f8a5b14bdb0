//! Benchmark figures for this family, each with its source (filled in by its kind's module work).
