package dev.icld.cli;

/**
 * Spark is a provided dependency: a command asked to run on it first checks that it is on the
 * class path, so that a missing jar reads as what to do, not as a NoClassDefFoundError.
 */
final class SparkCheck {
  private SparkCheck() {}

  static void require() {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, SparkCheck.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("--spark needs Apache Spark on the class path: ./icld adds "
          + "target/spark-lib (made by mvn package); spark-submit adds its own");
    }
  }
}
