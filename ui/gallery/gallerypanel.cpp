// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "gallerypanel.h"

#include <QAction>
#include <QCursor>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QStackedWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include "core/app/imagedeletion.h"
#include "core/app/jobsubmission.h"
#include "core/export/lineage.h"
#include "core/store/jobstore.h"
#include "ui/gallery/gallerydelegate.h"
#include "ui/gallery/galleryfilterbar.h"
#include "ui/gallery/galleryicons.h"
#include "ui/gallery/gallerymodel.h"
#include "ui/gallery/promptjobdialog.h"

namespace brieflow::ui {

namespace {

constexpr int minCompare = 2;
constexpr int maxCompare = 4;

/** Images of a job the engine still works on stay: its store step re-reads every file. */
bool canDelete(JobStatus s)
{
    return s != JobStatus::Pending && s != JobStatus::Processing;
}

/** Deletes the images' records and then their files (core's deleteImages()); the error also
 *  names files that couldn't be removed. */
Result<void, QString> deleteImagesFromStore(JobStore &writer, const QList<OutputId> &ids)
{
    const auto done = deleteImages(writer, ids);
    if (!done)
        return fail(done.error().message);
    if (!done->filesNotRemoved.isEmpty())
        return fail(GalleryPanel::tr("The images were deleted, but these files couldn't be "
                                     "removed: %1")
                        .arg(done->filesNotRemoved.join(QStringLiteral(", "))));
    return {};
}

QList<JobId> distinctJobs(const QList<GalleryItem> &items)
{
    QList<JobId> jobs;
    for (const GalleryItem &item : items) {
        if (!jobs.contains(item.output.jobId))
            jobs << item.output.jobId;
    }
    return jobs;
}

} // namespace

GalleryPanel::GalleryPanel(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails,
                           Settings *settings, QWidget *parent)
    : QWidget(parent)
    , m_reader(reader)
    , m_writer(writer)
    , m_thumbnails(thumbnails)
    , m_settings(settings)
{
    setAccessibleName(tr("Gallery"));
    m_confirm = [this](const QString &title, const QString &text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel)
               == QMessageBox::Yes;
    };

    m_model = new GalleryModel(reader, this);
    m_model->setThumbnailCache(thumbnails);
    m_filters = new GalleryFilterBar(this);

    m_view = new QListView(this);
    m_view->setAccessibleName(tr("Images"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setMovement(QListView::Static);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setUniformItemSizes(true);
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(200);
    m_view->setSpacing(0);
    m_view->setWrapping(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionRectVisible(true);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setMouseTracking(true); // the star shows on hover
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_delegate = new GalleryDelegate(m_view);
    m_view->setItemDelegate(m_delegate);
    m_view->setModel(m_model);

    // The empty state: a sentence that teaches and the one button that helps.
    m_emptyPage = new QWidget(this);
    m_empty = new QLabel(m_emptyPage);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    QPalette hint = m_empty->palette();
    hint.setColor(QPalette::WindowText, hint.color(QPalette::PlaceholderText));
    m_empty->setPalette(hint);
    m_emptyButton = new QPushButton(m_emptyPage);
    auto *emptyLayout = new QVBoxLayout(m_emptyPage);
    emptyLayout->setContentsMargins(24, 24, 24, 24);
    emptyLayout->setSpacing(16);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(m_empty);
    emptyLayout->addWidget(m_emptyButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(2);
    connect(m_emptyButton, &QPushButton::clicked, this, [this] {
        if (m_filters->isFiltered())
            m_filters->clear();
        else
            Q_EMIT createRequested();
    });

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_emptyPage);

    buildActions();
    // A tool bar: what doesn't fit in a narrow window goes to its » menu.
    auto *actions = new QToolBar(this);
    actions->setAccessibleName(tr("Image actions"));
    actions->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    actions->setIconSize(QSize(20, 20));
    actions->addActions({m_preview, m_compare, m_star, m_export});
    actions->addSeparator();
    actions->addActions({m_rerun, m_fromPrompt, m_showJob});
    auto *spacer = new QWidget(actions);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    actions->addWidget(spacer);
    actions->addAction(m_delete);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 8);
    layout->setSpacing(8);
    layout->addWidget(m_filters);
    layout->addWidget(actions);
    layout->addWidget(m_stack, 1);

    connect(m_filters, &GalleryFilterBar::queryChanged, m_model, &GalleryModel::setQuery);
    connect(m_filters, &GalleryFilterBar::queryChanged, this, &GalleryPanel::updateEmptyState);
    connect(m_delegate, &GalleryDelegate::starClicked, this, [this](const QModelIndex &index) {
        if (const GalleryItem *item = m_model->itemAt(index.row()))
            setStarred({item->output.id}, !item->starred);
    });
    connect(m_view, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        const QPoint at = m_view->viewport()->mapFromGlobal(QCursor::pos());
        if (!GalleryDelegate::starRect(m_view->visualRect(index)).contains(at))
            previewSelected();
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &GalleryPanel::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &GalleryPanel::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &GalleryPanel::updateActions);
    connect(m_model, &GalleryModel::reloadFailed, this, &GalleryPanel::problem);
    connect(m_model, &GalleryModel::totalCountChanged, m_filters, &GalleryFilterBar::setCount);
    connect(m_model, &QAbstractItemModel::modelReset, this, &GalleryPanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &GalleryPanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &GalleryPanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &GalleryPanel::updateActions);
    // A new product or model appears in the filters' choices with its first image.
    connect(m_model, &GalleryModel::totalCountChanged, this, &GalleryPanel::updateChoices);

    m_filters->setCount(m_model->totalCount());
    updateChoices();
    updateEmptyState();
}

GalleryPanel::~GalleryPanel() = default;

void GalleryPanel::buildActions()
{
    auto make = [this](const QString &icon, const QString &text, const QString &tip) {
        auto *a = new QAction(themedIcon(icon), text, this);
        a->setToolTip(tip);
        a->setStatusTip(tip);
        return a;
    };
    m_preview = make(QStringLiteral("zoom-in"), tr("Preview"),
                     tr("Open the image large, with zoom and its details (Enter)"));
    m_preview->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    m_compare = make(QStringLiteral("compare"), tr("Compare"),
                     tr("Show 2 to 4 selected images side by side"));
    m_star = make(QStringLiteral("star"), tr("Star"), tr("Star or unstar the selected images (S)"));
    m_star->setShortcut(QKeySequence(Qt::Key_S));
    m_export = make(QStringLiteral("export"), tr("Export…"),
                    tr("Save the selected images with their metadata (Ctrl+E)"));
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_rerun = make(QStringLiteral("retry"), tr("Re-run brief"),
                   tr("Queue the brief of the selected images' jobs again, from the start"));
    m_fromPrompt = make(QStringLiteral("generate"), tr("New job from this prompt…"),
                        tr("Make new images from this image's prompt (editable); the concept "
                           "and prompt are reused"));
    m_showJob = make(QStringLiteral("details"), tr("Show job"),
                     tr("Open the job that made this image on Create"));
    m_delete = make(QStringLiteral("delete"), tr("Delete…"),
                    tr("Remove the selected images from Brieflow and their files from disk "
                       "(Del)"));
    m_delete->setShortcut(QKeySequence::Delete);

    // Keys that mean something else in the search field act only in the grid; Ctrl+E and
    // Ctrl+F work anywhere on the page.
    for (QAction *a : {m_preview, m_star, m_delete}) {
        a->setShortcutContext(Qt::WidgetShortcut);
        m_view->addAction(a);
    }
    for (QAction *a : {m_compare, m_export, m_rerun, m_fromPrompt, m_showJob}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    auto *find = new QAction(tr("Search"), this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WindowShortcut);
    addAction(find);
    connect(find, &QAction::triggered, this, &GalleryPanel::focusSearch);

    connect(m_preview, &QAction::triggered, this, &GalleryPanel::previewSelected);
    connect(m_compare, &QAction::triggered, this, &GalleryPanel::compareSelected);
    connect(m_star, &QAction::triggered, this, &GalleryPanel::toggleStarSelected);
    connect(m_export, &QAction::triggered, this, &GalleryPanel::exportSelected);
    connect(m_rerun, &QAction::triggered, this, &GalleryPanel::rerunSelected);
    connect(m_fromPrompt, &QAction::triggered, this, &GalleryPanel::newJobFromPrompt);
    connect(m_showJob, &QAction::triggered, this, &GalleryPanel::showJobOfCurrent);
    connect(m_delete, &QAction::triggered, this, &GalleryPanel::deleteSelected);
}

QAction *GalleryPanel::action(Action which) const
{
    switch (which) {
    case Action::Preview:
        return m_preview;
    case Action::Compare:
        return m_compare;
    case Action::Star:
        return m_star;
    case Action::Export:
        return m_export;
    case Action::Rerun:
        return m_rerun;
    case Action::NewFromPrompt:
        return m_fromPrompt;
    case Action::ShowJob:
        return m_showJob;
    case Action::Delete:
        return m_delete;
    }
    return nullptr;
}

QList<GalleryItem> GalleryPanel::selectedItems() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    for (const QModelIndex &index : selected)
        rows << index.row();
    return m_model->itemsAt(rows);
}

QList<OutputId> GalleryPanel::selectedIds() const
{
    QList<OutputId> ids;
    const QList<GalleryItem> items = selectedItems();
    for (const GalleryItem &item : items)
        ids << item.output.id;
    return ids;
}

const GalleryItem *GalleryPanel::currentItem() const
{
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid() && m_view->selectionModel()->isSelected(current))
        return m_model->itemAt(current.row());
    const QModelIndexList selected = m_view->selectionModel()->selectedIndexes();
    return selected.isEmpty() ? nullptr : m_model->itemAt(selected.first().row());
}

void GalleryPanel::selectImages(const QList<OutputId> &ids)
{
    QItemSelection selection;
    QModelIndex first;
    for (const OutputId &id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_model->index(row);
        selection.select(index, index);
        if (!first.isValid())
            first = index;
    }
    QItemSelectionModel *model = m_view->selectionModel();
    model->select(selection, QItemSelectionModel::ClearAndSelect);
    if (first.isValid()) {
        model->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_view->scrollTo(first);
    }
    updateActions();
}

void GalleryPanel::updateActions()
{
    const QList<GalleryItem> items = selectedItems();
    const int count = static_cast<int>(items.size());
    int starred = 0, deletable = 0;
    for (const GalleryItem &item : items) {
        starred += item.starred ? 1 : 0;
        deletable += canDelete(item.jobStatus) ? 1 : 0;
    }
    m_preview->setEnabled(count > 0);
    const bool compare = count >= minCompare && count <= maxCompare;
    m_compare->setEnabled(compare);
    if (compare)
        m_compare->setToolTip(tr("Show the %1 selected images side by side").arg(count));
    else if (count > maxCompare)
        m_compare->setToolTip(tr("Compare shows up to 4 images; %1 are selected").arg(count));
    else
        m_compare->setToolTip(tr("Select 2 to 4 images to compare them side by side"));
    // Unstar only when every selected image is starred: a mixed selection stars the rest.
    const bool unstar = count > 0 && starred == count;
    m_star->setEnabled(count > 0 && m_writer);
    m_star->setText(unstar ? tr("Unstar") : tr("Star"));
    m_star->setIcon(themedIcon(unstar ? QStringLiteral("star-filled") : QStringLiteral("star")));
    m_export->setEnabled(count > 0 && m_settings);
    m_export->setText(count > 1 ? tr("Export %1…").arg(count) : tr("Export…"));
    m_rerun->setEnabled(count > 0 && m_writer);
    m_fromPrompt->setEnabled(count == 1 && m_writer);
    m_showJob->setEnabled(count == 1);
    m_delete->setEnabled(deletable > 0 && m_writer);
}

QString GalleryPanel::emptyStateText() const
{
    return m_stack->currentWidget() == m_emptyPage ? m_empty->text() : QString();
}

void GalleryPanel::updateEmptyState()
{
    if (m_model->rowCount() > 0) {
        m_stack->setCurrentWidget(m_view);
    } else {
        const bool filtered = GalleryModel::isFiltered(m_model->query()) || m_filters->isFiltered();
        if (filtered) {
            m_empty->setText(tr("No images match these filters."));
            m_emptyButton->setText(tr("Clear filters"));
        } else {
            m_empty->setText(tr("No images yet — generate a brief on Create and its images "
                                "appear here."));
            m_emptyButton->setText(tr("Go to Create"));
        }
        m_stack->setCurrentWidget(m_emptyPage);
    }
    updateActions();
}

void GalleryPanel::updateChoices()
{
    if (const auto products = m_reader.galleryProducts())
        m_filters->setProducts(products.value());
    if (const auto models = m_reader.galleryModels())
        m_filters->setModels(models.value());
}

void GalleryPanel::refresh()
{
    m_stale = false;
    m_model->resync();
    updateChoices();
}

void GalleryPanel::refreshLater()
{
    if (!isVisible()) {
        m_stale = true; // re-read once the page shows: nothing to repaint meanwhile
        return;
    }
    m_model->refreshLater();
}

void GalleryPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void GalleryPanel::focusSearch()
{
    m_filters->focusSearch();
}

void GalleryPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    if (!m_view->selectionModel()->isSelected(index))
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    QMenu menu(this);
    menu.addAction(m_preview);
    menu.addAction(m_compare);
    menu.addAction(m_star);
    menu.addAction(m_export);
    menu.addSeparator();
    menu.addAction(m_rerun);
    menu.addAction(m_fromPrompt);
    menu.addAction(m_showJob);
    menu.addSeparator();
    menu.addAction(m_delete);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void GalleryPanel::previewSelected()
{
    QList<OutputId> ids = selectedIds();
    const GalleryItem *current = currentItem();
    if (ids.size() <= 1) {
        // One image: the preview steps through every loaded image from it.
        ids.clear();
        for (int row = 0; row < m_model->rowCount(); ++row)
            ids << m_model->outputId(row);
    }
    if (ids.isEmpty() || !current)
        return;
    m_lastWindow = openPreview(ids, qMax(0, static_cast<int>(ids.indexOf(current->output.id))));
}

void GalleryPanel::compareSelected()
{
    const QList<OutputId> ids = selectedIds();
    if (ids.size() < minCompare || ids.size() > maxCompare)
        return;
    m_lastWindow = openCompare(ids);
}

void GalleryPanel::exportSelected()
{
    const QList<OutputId> ids = selectedIds();
    if (ids.isEmpty() || !m_settings)
        return;
    m_lastWindow = openExport(ids);
}

void GalleryPanel::toggleStarSelected()
{
    const QList<GalleryItem> items = selectedItems();
    if (items.isEmpty())
        return;
    bool allStarred = true;
    QList<OutputId> ids;
    for (const GalleryItem &item : items) {
        allStarred = allStarred && item.starred;
        ids << item.output.id;
    }
    setStarred(ids, !allStarred);
}

void GalleryPanel::setStarred(const QList<OutputId> &ids, bool starred)
{
    if (!m_writer || ids.isEmpty())
        return;
    if (const auto done = m_writer->setOutputsStarred(ids, starred); !done) {
        Q_EMIT problem(done.error().message);
        return;
    }
    m_model->resync();
    updateActions();
}

void GalleryPanel::rerunSelected()
{
    if (!m_writer)
        return;
    const QList<JobId> sources = distinctJobs(selectedItems());
    QList<JobId> queued;
    for (const JobId &source : sources) {
        const auto job = rerunJob(*m_writer, source);
        if (!job) {
            Q_EMIT problem(tr("The brief couldn't be queued again: %1").arg(job.error().message));
            continue;
        }
        queued << job.value().id;
    }
    if (queued.isEmpty())
        return;
    Q_EMIT status(queued.size() == 1
                      ? tr("Queued the brief again as a new job.")
                      : tr("Queued %1 briefs again as new jobs.").arg(queued.size()));
    Q_EMIT jobsQueued(queued);
}

void GalleryPanel::newJobFromPrompt()
{
    const GalleryItem *item = currentItem();
    if (!m_writer || !item)
        return;
    const auto lineage = lineageForOutput(m_reader, item->output.id);
    if (!lineage) {
        Q_EMIT problem(tr("This image's prompt can't be read: %1").arg(lineage.error()));
        return;
    }
    if (m_promptDialog)
        m_promptDialog->close();
    auto *dialog = new PromptJobDialog(
        *m_writer, lineage->brief, lineage->conceptText, lineage->imagePrompt,
        tr("image %1 of job %2").arg(item->indexInJob).arg(item->output.jobId.toString()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PromptJobDialog::queued, this, [this](const JobRecord &job) {
        Q_EMIT status(tr("Queued a new job from the prompt."));
        Q_EMIT jobsQueued({job.id});
    });
    m_promptDialog = dialog;
    dialog->open();
}

void GalleryPanel::showJobOfCurrent()
{
    if (const GalleryItem *item = currentItem())
        Q_EMIT showJobRequested(item->output.jobId);
}

void GalleryPanel::deleteSelected()
{
    if (!m_writer)
        return;
    QList<OutputId> ids;
    QList<JobId> jobs;
    int running = 0;
    const QList<GalleryItem> items = selectedItems();
    for (const GalleryItem &item : items) {
        if (!canDelete(item.jobStatus)) {
            ++running;
            continue;
        }
        ids << item.output.id;
        if (!jobs.contains(item.output.jobId))
            jobs << item.output.jobId;
    }
    if (ids.isEmpty())
        return;
    QString text =
        ids.size() == 1 ? tr("Delete 1 image?") : tr("Delete %1 images?").arg(ids.size());
    text += QLatin1Char(' ')
            + (ids.size() == 1 ? tr("Its file is removed from disk; this can't be undone.")
                               : tr("Their files are removed from disk; this can't be undone."));
    if (running > 0)
        text += QLatin1Char(' ')
                + (running == 1 ? tr("1 image of a job still running is kept.")
                                : tr("%1 images of jobs still running are kept.").arg(running));
    if (!m_confirm(tr("Delete images"), text))
        return;
    const auto deleted = deleteImagesFromStore(*m_writer, ids);
    if (!deleted) {
        Q_EMIT problem(deleted.error());
        return;
    }
    m_model->resync();
    updateChoices();
    Q_EMIT status(ids.size() == 1 ? tr("Deleted 1 image.")
                                  : tr("Deleted %1 images.").arg(ids.size()));
    Q_EMIT imagesDeleted(jobs);
}

} // namespace brieflow::ui
