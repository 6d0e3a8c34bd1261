/* bench/bench_memory.h - owned by the benchmark (bench/): the memory
 * layer's part of umm_bench (bench_memory.c). */
#ifndef UMM_BENCH_MEMORY_H
#define UMM_BENCH_MEMORY_H

/* Prints the memory layer's figures against their yardsticks. */
void run_memory_bench(void);

#endif
