"""Tables in: reading and validating a CSV or data frame (:mod:`~tabaug.data.reading`), the
built-in benchmark tables (:mod:`~tabaug.data.datasets`), and the split and preprocessing
fitted on training rows only (:mod:`~tabaug.data.preprocessing`)."""

from tabaug.data.preprocessing import PreparedData, prepare_data, prepare_frame, split_data
from tabaug.data.reading import load_dataset, load_wdbc, read_csv_dataset, validate_dataset

__all__ = ["PreparedData", "load_dataset", "load_wdbc", "prepare_data", "prepare_frame",
           "read_csv_dataset", "split_data", "validate_dataset"]
