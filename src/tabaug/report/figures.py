"""Figures, each shown and saved as PNG: GAN losses, t-SNE and 2-D views of rows, the
repeated-split study's intervals, fidelity, and the benchmark's rankings and outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from sklearn.manifold import TSNE

from tabaug.errors import missing_extra
from tabaug.fidelity.report import C2ST_TARGET, REFERENCE
from tabaug.metrics import lower_is_better

if TYPE_CHECKING:  # only for annotations: the statistics extra is needed by one figure
    from tabaug.stats.across_tables import FriedmanResult

__all__ = [
    "CLASS_STYLES", "fit_2d_view", "GENERATED_COLORS", "GENERATED_STYLE",
    "plot_critical_difference", "plot_dataset_differences", "plot_distributions",
    "plot_fidelity", "plot_forest", "plot_gan_losses", "plot_metric_comparison",
    "plot_outcomes", "plot_rows_2d", "plot_sweep", "plot_training", "plot_tsne", "row_style",
    "save_figure", "tsne_embedding", "zoom_inset",
]


def save_figure(fig, output_dir, name):
    """Save ``fig`` as ``<output_dir>/figures/<name>.png`` and return the path."""
    path = Path(output_dir) / "figures" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path


def plot_gan_losses(history, ax=None):
    """Discriminator and generator loss at every training step, with epoch boundaries."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    ax.plot(history["step"], history["d_loss"], marker="o", markersize=3, label="discriminator")
    ax.plot(history["step"], history["g_loss"], marker="s", markersize=3, label="generator")
    for step in history.groupby("epoch")["step"].max().iloc[:-1]:
        ax.axvline(step + 0.5, color="grey", linewidth=0.5, alpha=0.5)
    ax.set_xlabel("training step (generator update); grey lines separate epochs")
    ax.set_ylabel("binary cross-entropy loss")
    ax.set_title(f"GAN losses over {len(history)} steps")
    ax.legend()
    return ax


def plot_training(history, title="GAN training"):
    """Two panels per training run: both losses, and the discriminator's mean output on real and
    on generated rows, at every generator update.

    The paper's discriminator outputs probabilities (0.5 = undecided); a Wasserstein critic
    outputs scores, whose gap between real and generated rows estimates how far apart they are.
    """
    fig, (loss_ax, output_ax) = plt.subplots(1, 2, figsize=(12, 3.8))
    loss_ax.plot(history["step"], history["d_loss"], label="discriminator")
    loss_ax.plot(history["step"], history["g_loss"], label="generator")
    loss_ax.set_ylabel("loss")
    output_ax.plot(history["step"], history["d_real"], label="on real rows")
    output_ax.plot(history["step"], history["d_fake"], label="on generated rows")
    output_ax.set_ylabel("discriminator's mean output")
    for ax, what in ((loss_ax, "losses"), (output_ax, "discriminator outputs")):
        ax.set_xlabel("generator update")
        ax.set_title(f"{title}: {what}")
        ax.legend()
    fig.tight_layout()
    return fig


def tsne_embedding(X, seed=42, perplexity=30.0, max_iter=1000):
    """Two t-SNE coordinates per row; ``random_state`` makes the picture reproducible."""
    perplexity = min(perplexity, (len(X) - 1) / 3)  # t-SNE needs perplexity < n_rows
    tsne = TSNE(n_components=2, perplexity=perplexity, max_iter=max_iter, init="pca",
                random_state=seed)
    return tsne.fit_transform(X)


#: Marker and colour of each class's real rows, by class code, in the manner of the paper's
#: Figures 1, 4, 5 and 6 (WDBC: benign dots, malignant triangles); more classes take the next.
CLASS_STYLES = [
    {"marker": "o", "color": "tab:blue", "s": 14, "alpha": 0.6},
    {"marker": "^", "color": "tab:red", "s": 22, "alpha": 0.8},
    {"marker": "D", "color": "tab:green", "s": 16, "alpha": 0.7},
    {"marker": "v", "color": "tab:purple", "s": 20, "alpha": 0.7},
    {"marker": "P", "color": "tab:brown", "s": 20, "alpha": 0.7},
    {"marker": "X", "color": "tab:gray", "s": 20, "alpha": 0.7},
]
#: Generated rows are squares, each class in a lighter relative of its colour (WDBC's generated
#: malignant rows: orange, as in the paper's figures).
GENERATED_COLORS = ["tab:cyan", "tab:orange", "yellowgreen", "orchid", "sandybrown", "silver"]
GENERATED_STYLE = {"marker": "s", "s": 16, "alpha": 0.6}


def row_style(code, generated=False):
    """Marker and colour of the rows of class ``code``, real or generated (the styles repeat
    after :data:`CLASS_STYLES`' length)."""
    i = int(code) % len(CLASS_STYLES)
    if generated:
        return {**GENERATED_STYLE, "color": GENERATED_COLORS[i]}
    return dict(CLASS_STYLES[i])


def plot_tsne(embedding, y, generated, class_names, title, ax=None):
    """Scatter t-SNE coordinates, one colour and marker per class (``class_names``: code to
    name), generated rows as squares in a lighter colour of their class; the legend counts the
    rows of each kind. Real rows of every class come first, then the generated ones."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    y, generated = np.asarray(y), np.asarray(generated, dtype=bool)
    kinds = [(f"original {name}", row_style(code), (y == code) & ~generated)
             for code, name in class_names.items()]
    kinds += [(f"generated {name}", row_style(code, generated=True), (y == code) & generated)
              for code, name in class_names.items()]
    for label, style, mask in kinds:
        if mask.any():
            ax.scatter(embedding[mask, 0], embedding[mask, 1], label=f"{label} ({mask.sum()})",
                       **style)
    ax.set_xlabel("t-SNE dimension 1 (x1)")
    ax.set_ylabel("t-SNE dimension 2 (x2)")
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_metric_comparison(ours, paper, metrics, ax=None):
    """Bars of our test metrics beside the paper's, one group per method."""
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    methods = list(ours["method"])
    width = 0.8 / (2 * len(metrics))
    x = np.arange(len(methods))
    for i, metric in enumerate(metrics):
        offset = (2 * i) * width
        ax.bar(x + offset, ours[metric], width, label=f"{metric} (ours)")
        ax.bar(x + offset + width, paper.set_index("method").loc[methods, metric], width,
               label=f"{metric} (paper)", alpha=0.5, hatch="//")
    ax.set_xticks(x + width * (len(metrics) - 0.5), methods)
    ax.set_xlabel("augmentation method")
    ax.set_ylabel("score on the test split")
    ax.set_ylim(0.8, 1.01)
    ax.legend(fontsize="small", ncols=2)
    return ax


def plot_forest(differences, metric, ax=None, legend=True):
    """Forest plot: each method's mean paired difference from no augmentation, with its 95%
    interval; the dashed line is "no difference". The x label says which side is better
    (the left for a metric where lower is better, such as the Brier score)."""
    rows = differences[differences["metric"] == metric].iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.5 * len(rows) + 1.5))
    y = np.arange(len(rows))
    ax.errorbar(rows["mean_difference"], y,
                xerr=[rows["mean_difference"] - rows["ci_low"],
                      rows["ci_high"] - rows["mean_difference"]],
                fmt="o", capsize=4, label="mean difference, 95% interval")
    ax.axvline(0, color="grey", linestyle="--", label="no difference")
    ax.set_yticks(y, rows["method"])
    better = ("\u2190 better (lower is better)" if lower_is_better(metric)
              else "better \u2192")
    ax.set_xlabel(f"method minus no augmentation (paired by split)\n{better}")
    ax.set_ylabel("method")
    if legend:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2, fontsize="small")
    return ax


def plot_distributions(results, metric, ax=None):
    """Per-method distribution of a metric over the splits (box) with every split (dots)."""
    import seaborn as sns

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4))
    sns.boxplot(data=results, x="method", y=metric, ax=ax, color="white", fliersize=0)
    sns.stripplot(data=results, x="method", y=metric, ax=ax, size=3, alpha=0.6,
                  label="one split")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[:1], labels[:1], loc="lower left", fontsize="small")
    ax.set_xlabel("method")
    ax.set_ylabel(f"{metric} on the test split")
    ax.tick_params(axis="x", labelrotation=20)
    return ax


def plot_sweep(summary, metric, natural_ratio, ax=None):
    """A metric's mean and 95% interval against the imbalance ratio, one colour per method
    (the methods are drawn side by side at each ratio); ``"natural"`` is drawn at
    ``natural_ratio``."""
    rows = summary[summary["metric"] == metric].copy()
    rows["ratio_value"] = rows["ratio"].map(lambda r: natural_ratio if r == "natural" else r)
    rows["ratio_value"] = rows["ratio_value"].astype(float)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    methods = list(dict.fromkeys(rows["method"]))
    for i, method in enumerate(methods):
        group = rows[rows["method"] == method].sort_values("ratio_value")
        x = group["ratio_value"].to_numpy() * 1.04 ** (i - (len(methods) - 1) / 2)  # dodge
        ax.errorbar(x, group["mean"], yerr=[group["mean"] - group["ci_low"],
                                            group["ci_high"] - group["mean"]],
                    marker="o", markersize=4, capsize=2, linewidth=1, label=method)
    ax.set_xscale("log")
    ratios = sorted(rows["ratio_value"].unique())
    ax.set_xticks(ratios, [f"{r:.3g}" for r in ratios])
    ax.minorticks_off()
    low, high = ax.get_ylim()
    ax.set_ylim(low, min(high, 1.005))  # the scores end at 1; an interval may run past it
    ax.set_xlabel("benign training rows per malignant training row (log scale)")
    better = "lower" if lower_is_better(metric) else "higher"
    ax.set_ylabel(f"mean {metric} on the test split, 95% interval\n({better} is better)")
    ax.legend(fontsize="small")
    return ax


def plot_fidelity(report, distances):
    """Two panels on generated rows (see ``tabaug.fidelity.report``). Left: each source's C2ST
    ROC AUC against real held-out rows (bars; 0.5 = a classifier cannot tell its rows from new
    real rows) and against the training rows (dots: far left of the bar = rows that resemble
    the training sample more than new real rows). Right: each
    source's distances to the closest training row, beside those of the real held-out rows (much
    smaller distances = near-copies of training patients); a green band spans the middle half of
    the real held-out rows' distances, a dashed green line marks their median."""

    sources = list(report.index)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.5 * len(sources) + 2.5),
                                      layout="constrained")
    y = np.arange(len(sources))
    colors = ["tab:green" if name == REFERENCE else "tab:blue" for name in sources]
    left.barh(y, report["c2st_auc"], color=colors, alpha=0.7)
    left.scatter(report["c2st_vs_train"], y, color="black", marker="o", s=18, zorder=3,
                 label="against training rows")
    left.axvline(0.5, color="grey", linestyle="--", label="indistinguishable")
    left.axvline(C2ST_TARGET, color="black", linestyle=":", label="target")
    left.set_yticks(y, sources)
    left.invert_yaxis()
    left.set_xlim(0, 1)
    left.set_xlabel("C2ST ROC AUC against real held-out rows (bars)")
    left.set_ylabel("source")
    left.set_title("Can a classifier tell them apart?")
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2, fontsize="small")

    rng = np.random.default_rng(0)  # vertical jitter of the dots, the same in every run
    right.boxplot([distances[name] for name in sources], positions=y, orientation="horizontal",
                  widths=0.5, showfliers=False)
    labelled = set()
    for i, name in enumerate(sources):
        label = "real held-out row" if name == REFERENCE else "generated row"
        right.scatter(distances[name], i + rng.uniform(-0.15, 0.15, len(distances[name])), s=8,
                      alpha=0.5, color=colors[i], label=None if label in labelled else label)
        labelled.add(label)
    quartiles = np.percentile(distances[REFERENCE], [25, 75])
    right.axvspan(*quartiles, color="tab:green", alpha=0.12, zorder=0,
                  label="middle half of real held-out rows")
    right.axvline(np.median(distances[REFERENCE]), color="tab:green", linestyle="--",
                  label="real held-out median")
    right.set_yticks(y, sources)
    right.invert_yaxis()
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2, fontsize="small")
    right.set_xlabel("distance to closest training row (scaled features)")
    right.set_title("How close are they to training patients?")
    return fig


# --- Real and generated rows in one 2-D view --------------------------------------------------
def fit_2d_view(real_rows, seed=0):
    """A 2-D view of rows: principal component analysis (PCA) fitted on the *real* rows only.

    Unlike t-SNE, the same fitted view places any later rows (generated ones, or rows from
    another point of training) on the same axes, so pictures can be compared side by side.
    """
    from sklearn.decomposition import PCA

    return PCA(n_components=2, random_state=seed).fit(np.asarray(real_rows, dtype=float))


def plot_rows_2d(view, real_rows, generated, ax=None, title=None, real_label="real rows"):
    """Real rows (grey dots) and one or more sets of generated rows (``{label: rows}``) in the
    2-D ``view`` of :func:`fit_2d_view`, with the share of the real rows' variance it shows."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 5))
    real_xy = view.transform(np.asarray(real_rows, dtype=float))
    ax.scatter(real_xy[:, 0], real_xy[:, 1], s=14, color="grey", alpha=0.6,
               label=f"{real_label} ({len(real_xy)})")
    markers = ["s", "^", "D", "v", "P"]
    for i, (label, rows) in enumerate(generated.items()):
        xy = view.transform(np.asarray(rows, dtype=float))
        ax.scatter(xy[:, 0], xy[:, 1], s=16, alpha=0.6, marker=markers[i % len(markers)],
                   label=f"{label} ({len(xy)})")
    share = view.explained_variance_ratio_
    ax.set_xlabel(f"principal component 1 ({share[0]:.0%} of the real rows' variance)")
    ax.set_ylabel(f"principal component 2 ({share[1]:.0%})")
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small", loc="best")
    return ax


# --- Classifier curves ------------------------------------------------------------------------
def zoom_inset(ax, xlim, ylim, bounds=(0.35, 0.35, 0.5, 0.45)):
    """Redraw the lines of ``ax`` in an inset magnifying ``xlim`` x ``ylim`` (``bounds``: the
    inset's left, bottom, width and height as fractions of ``ax``), with the zoomed region
    outlined on ``ax``: curves near a corner (ROC curves with an AUC close to 1) become
    readable."""
    inset = ax.inset_axes(bounds, xlim=xlim, ylim=ylim)
    for line in ax.get_lines():
        inset.plot(*line.get_data(), color=line.get_color(), linestyle=line.get_linestyle(),
                   linewidth=line.get_linewidth(), marker=line.get_marker(),
                   markersize=line.get_markersize(), drawstyle=line.get_drawstyle())
    inset.set_xlim(xlim)
    inset.set_ylim(ylim)
    inset.tick_params(labelsize="x-small")
    ax.indicate_inset_zoom(inset, edgecolor="grey")
    return inset


def plot_critical_difference(result: FriedmanResult, path, title: str):
    """Critical-difference diagram (autorank's): each arm at its mean rank (1 = best, its
    value in the label), bars joining arms within the Nemenyi critical difference. Saved as
    ``path`` (PNG); returns the figure."""
    labelled = result.autorank.rankdf.rename(
        index=lambda arm: f"{arm} ({result.autorank.rankdf.loc[arm, 'meanrank']:.2f})")
    try:
        from autorank import plot_stats
    except ModuleNotFoundError as error:
        raise missing_extra(error, "stats") from error

    ax = plot_stats(result.autorank._replace(rankdf=labelled), allow_insignificant=True,
                    width=8)
    fig = ax.figure
    fig.suptitle(f"{title}\nmean rank over {result.n_datasets} data sets (1 = best); "
                 f"Friedman p = {result.p_value:.3g}; bars join arms within the Nemenyi "
                 f"critical difference {result.critical_difference:.2f}", y=1.0, va="bottom",
                 fontsize=10)
    _save(fig, path)
    return fig


def _save(fig, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path


def plot_outcomes(outcomes: pd.DataFrame, path, title: str):
    """Heatmap of :func:`outcome_by`: per arm (rows) and group (columns), the share of wins
    minus the share of losses (colour, -1 to 1), annotated with the counts win/tie/loss.
    Saved as ``path`` (PNG); returns the figure."""
    net = outcomes.assign(net=outcomes["win_share"] - outcomes["loss_share"],
                          text=outcomes["win"].astype(str) + "/" + outcomes["tie"].astype(str)
                          + "/" + outcomes["loss"].astype(str))
    arms_order = list(pd.unique(net["arm"]))
    colour = net.pivot(index="arm", columns="group", values="net").reindex(arms_order)
    text = net.pivot(index="arm", columns="group", values="text").reindex(arms_order)
    fig, ax = plt.subplots(figsize=(1.6 * colour.shape[1] + 4, 0.45 * len(colour) + 1.8))
    sns.heatmap(colour, annot=text.fillna(""), fmt="", cmap="RdBu", vmin=-1, vmax=1, ax=ax,
                cbar_kws={"label": "share of wins - share of losses"}, linewidths=0.5)
    ax.set_xlabel(_group_label(outcomes["by"].iloc[0]))
    ax.set_ylabel("arm")
    ax.set_title(f"{title}\nper data set and classifier: wins/ties/losses against the "
                 "reference (corrected 95% interval)", fontsize=10)
    fig.tight_layout()
    _save(fig, path)
    return fig


def plot_dataset_differences(per_dataset: pd.DataFrame, classifier: str, path, title: str):
    """Heatmap of :func:`per_dataset_differences` for one classifier and metric: each data set
    (rows, by imbalance ratio) and arm (columns), the mean difference from the reference,
    coloured so that blue is better whatever the metric's direction, and marked W (win) or L
    (loss) where the corrected 95% interval excludes 0. Saved as ``path``; returns the figure."""
    rows = per_dataset[per_dataset["classifier"] == classifier]
    if rows.empty:
        raise ValueError(f"No per-data-set differences for classifier {classifier!r}")
    sign = -1.0 if lower_is_better(rows["metric"].iloc[0]) else 1.0
    order = rows.drop_duplicates("dataset").sort_values("imbalance_ratio", kind="stable")
    labels = {row.dataset: f"{row.dataset} ({row.imbalance_ratio:.0f})"
              for row in order.itertuples()}
    arms_order = list(pd.unique(rows["arm"]))
    gain = (rows.assign(gain=sign * rows["mean_difference"])
            .pivot(index="dataset", columns="arm", values="gain")
            .reindex(index=list(labels), columns=arms_order).rename(index=labels))
    marks = (rows.assign(mark=rows["decision"].map({"win": "W", "loss": "L"}).fillna(""))
             .pivot(index="dataset", columns="arm", values="mark")
             .reindex(index=list(labels), columns=arms_order).rename(index=labels).fillna(""))
    limit = float(np.nanquantile(np.abs(gain.to_numpy()), 0.95)) if gain.notna().any().any() \
        else 1.0
    fig, ax = plt.subplots(figsize=(0.55 * len(arms_order) + 4.5, 0.3 * len(gain) + 2.2))
    sns.heatmap(gain, annot=marks, fmt="", cmap="RdBu", center=0, vmin=-limit, vmax=limit,
                ax=ax, linewidths=0.3, annot_kws={"fontsize": 7},
                cbar_kws={"label": "mean gain over the reference (its difference,\n"
                                   "sign flipped where lower is better)"})
    ax.set_xlabel("arm")
    ax.set_ylabel("data set (imbalance ratio)")
    ax.set_title(f"{title}\nW / L: better / worse by the corrected 95% interval; grey: no "
                 "result", fontsize=10)
    ax.set_facecolor("0.85")
    fig.tight_layout()
    _save(fig, path)
    return fig


def _group_label(by: str) -> str:
    return {"imbalance": "imbalance ratio (majority / minority rows)",
            "size": "data set size (rows)"}.get(by, by)
