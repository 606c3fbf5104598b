"""Dense vector indexes of passage embeddings."""
