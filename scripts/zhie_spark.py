"""The driver file for spark-submit, which runs a Python file rather than a console script:

    spark-submit --master yarn ... scripts/zhie_spark.py run --engine spark hdfs:///dumps/ -o out/

Arguments are those of `zhie`; the master comes from spark-submit unless --master is given.
"""
from pipeline.cli import main

raise SystemExit(main())
