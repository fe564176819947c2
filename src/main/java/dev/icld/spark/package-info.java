/**
 * Evaluation on Apache Spark ({@code icld eval --spark MASTER}): the same comparison as in one
 * process, its test passes spread over executors.
 *
 * <p>The driver prepares the plan as {@link dev.icld.eval.MethodComparison#prepare} does (static
 * subsets searched on dev, the dynamic exit calibrated), then {@link
 * dev.icld.spark.SparkEvaluation} spreads the test set's indices over partitions. Each executor
 * JVM loads the models once ({@code Worker}) and runs every planned method, budget and draw on its
 * utterances through {@link dev.icld.eval.MethodComparison#runDraw}, the code the in-process run
 * uses; random draws skip the utterances other tasks run, so every utterance gets the layers it
 * gets in one process. Rows go to Parquet, and the driver reads them back into the outcomes that
 * the report is made of. Spark is a provided dependency: nothing else in icld needs it on the
 * class path.
 */
package dev.icld.spark;
