// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "queuepanel.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFontMetrics>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSet>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/app/jobsubmission.h"
#include "core/monitoring/eta.h"
#include "core/store/jobstore.h"
#include "ui/queue/jobstatusstyle.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/progressdelegate.h"
#include "ui/queue/statusdelegate.h"

namespace brieflow::ui {

namespace {

bool isQueued(JobStatus s)
{
    return s == JobStatus::Pending || s == JobStatus::Processing;
}
bool canRetry(JobStatus s)
{
    return s == JobStatus::Failed || s == JobStatus::Canceled || s == JobStatus::NeedsAttention;
}
bool canCancel(JobStatus s)
{
    return isQueued(s) || s == JobStatus::NeedsAttention;
}
/** Only jobs the engine is done with: deleting one it works on would pull the rug. */
bool canDelete(JobStatus s)
{
    return s == JobStatus::Succeeded || s == JobStatus::Failed || s == JobStatus::Canceled;
}

QToolButton *toolButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setAutoRaise(true);
    return button;
}

} // namespace

QueuePanel::QueuePanel(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails,
                       QWidget *parent)
    : QWidget(parent)
    , m_writer(writer)
{
    setAccessibleName(tr("Queue"));
    m_confirm = [this](const QString &title, const QString &text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel)
               == QMessageBox::Yes;
    };

    m_model = new JobTableModel(reader, this);
    m_model->setThumbnailCache(thumbnails);
    m_model->setWriter(writer);

    // Filter row: [search……] [status ▾] [⏸ Pause]
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search briefs (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search the queue"));
    m_status = new QComboBox(this);
    m_status->setAccessibleName(tr("Show jobs by status"));
    m_status->addItem(tr("All jobs"), -1);
    for (const JobStatus s : {JobStatus::Pending, JobStatus::Processing, JobStatus::NeedsAttention,
                              JobStatus::Failed, JobStatus::Succeeded, JobStatus::Canceled})
        m_status->addItem(statusIcon(s), statusWord(s), static_cast<int>(s));
    m_pause = new QToolButton(this);
    m_pause->setCheckable(true);
    m_pause->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    updatePauseButton();

    auto *filters = new QHBoxLayout;
    filters->setSpacing(8);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_status);
    filters->addWidget(m_pause);

    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setAccessibleName(tr("Jobs"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setIconSize(QSize(JobTableModel::thumbnailEdge, JobTableModel::thumbnailEdge));
    m_view->setItemDelegateForColumn(JobTableModel::Progress, new ProgressDelegate(m_view));
    m_view->setItemDelegateForColumn(JobTableModel::Status, new StatusDelegate(m_view));
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setDragEnabled(true);
    m_view->setAcceptDrops(true);
    m_view->setDropIndicatorShown(true);
    m_view->setDragDropMode(QAbstractItemView::InternalMove);
    m_view->setDefaultDropAction(Qt::MoveAction);
    m_view->setDragDropOverwriteMode(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(JobTableModel::thumbnailEdge + 8);
    // Fixed widths: ResizeToContents would measure rows on every change.
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(JobTableModel::Product, QHeaderView::Stretch);
    header->setSectionResizeMode(JobTableModel::Thumbnail, QHeaderView::Fixed);
    header->resizeSection(JobTableModel::Thumbnail, JobTableModel::thumbnailEdge + 12);
    header->setMinimumSectionSize(32);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->viewport()->installEventFilter(this);
    fitColumns();
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    connect(header, &QHeaderView::sortIndicatorChanged, this, [header](int section) {
        // Columns SQL can't sort show the queue order: no arrow that would suggest otherwise.
        if (section >= 0 && !JobTableModel::isSortable(section)) {
            const QSignalBlocker block(header);
            header->setSortIndicator(-1, Qt::AscendingOrder);
        }
    });

    // "Failed at Images — 12 jobs · Show all": only the jobs the Monitoring view asked for.
    m_chip = new QFrame(this);
    m_chip->setObjectName(QStringLiteral("jobFilterChip"));
    m_chip->setAccessibleName(tr("Showing only some jobs"));
    m_chip->setFrameShape(QFrame::StyledPanel);
    m_chip->setAutoFillBackground(true);
    QPalette chipPalette = m_chip->palette();
    chipPalette.setColor(QPalette::Window, chipPalette.color(QPalette::AlternateBase));
    m_chip->setPalette(chipPalette);
    m_chipLabel = new QLabel(m_chip);
    m_chipLabel->setTextFormat(Qt::PlainText);
    m_showAll = new QToolButton(m_chip);
    m_showAll->setText(tr("Show all"));
    m_showAll->setToolTip(tr("Show every job in the queue again"));
    m_showAll->setAutoRaise(true);
    m_showAll->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
    m_showAll->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *chipLayout = new QHBoxLayout(m_chip);
    chipLayout->setContentsMargins(8, 2, 2, 2);
    chipLayout->setSpacing(8);
    chipLayout->addWidget(m_chipLabel, 1);
    chipLayout->addWidget(m_showAll);
    m_chip->hide();
    connect(m_showAll, &QToolButton::clicked, this, &QueuePanel::showAllJobs);

    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setContentsMargins(24, 24, 24, 24);
    QPalette hint = m_empty->palette();
    hint.setColor(QPalette::WindowText, hint.color(QPalette::PlaceholderText));
    m_empty->setPalette(hint);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    buildActions();
    auto *actions = new QHBoxLayout;
    actions->setSpacing(4);
    for (QAction *a : {m_retry, m_cancel, m_moveToTop, m_duplicate, m_delete})
        actions->addWidget(toolButton(a, this));
    actions->addStretch(1);
    m_footer = new QLabel(this);
    m_footer->setPalette(hint);
    actions->addWidget(m_footer);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addLayout(filters);
    layout->addWidget(m_chip);
    layout->addWidget(m_stack, 1);
    layout->addLayout(actions);

    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this,
            [this] { m_model->setTextFilter(m_search->text()); });
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        const int value = m_status->currentData().toInt();
        m_model->setStatusFilter(value < 0 ? std::nullopt
                                           : std::optional(static_cast<JobStatus>(value)));
    });
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        updatePauseButton();
        m_model->setQueuePaused(paused);
        Q_EMIT pauseToggled(paused);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &QueuePanel::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &QueuePanel::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                updateActions();
                Q_EMIT currentJobChanged(m_model->jobId(current.row()));
            });
    connect(m_model, &JobTableModel::reloadFailed, this, &QueuePanel::problem);
    connect(m_model, &QAbstractItemModel::modelReset, this, &QueuePanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &QueuePanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &QueuePanel::updateEmptyState);
    connect(m_model, &JobTableModel::totalCountChanged, this, &QueuePanel::updateEmptyState);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &QueuePanel::updateActions);

    m_clock = new QTimer(this);
    m_clock->setInterval(30'000);
    connect(m_clock, &QTimer::timeout, m_model, &JobTableModel::updateTimes);
    m_clock->start();

    updateEmptyState();
    updateActions();
}

QueuePanel::~QueuePanel() = default;

void QueuePanel::buildActions()
{
    auto make = [this](const QString &text, const QString &tip, QStyle::StandardPixmap icon) {
        auto *a = new QAction(style()->standardIcon(icon), text, this);
        a->setToolTip(tip);
        a->setStatusTip(tip);
        addAction(a);
        return a;
    };
    m_retry = make(tr("Retry"),
                   tr("Run the selected failed or canceled jobs again from the step "
                      "that stopped (Ctrl+R)"),
                   QStyle::SP_BrowserReload);
    m_retry->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_retry->setShortcutContext(Qt::WindowShortcut);
    m_cancel = make(tr("Cancel"), tr("Stop the selected jobs; work already paid for is kept"),
                    QStyle::SP_BrowserStop);
    m_moveToTop =
        make(tr("Move to top"), tr("Run the selected waiting jobs next"), QStyle::SP_ArrowUp);
    m_duplicate = make(tr("Duplicate brief"), tr("Copy this job's brief into the form"),
                       QStyle::SP_FileDialogNewFolder);
    m_delete = make(tr("Delete…"),
                    tr("Remove the selected finished jobs from Brieflow (Del); "
                       "saved images stay in the output folder"),
                    QStyle::SP_TrashIcon);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);

    auto *find = new QAction(tr("Search"), this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WindowShortcut);
    addAction(find);
    connect(find, &QAction::triggered, this, &QueuePanel::focusSearch);

    connect(m_retry, &QAction::triggered, this, &QueuePanel::retrySelected);
    connect(m_cancel, &QAction::triggered, this, &QueuePanel::cancelSelected);
    connect(m_moveToTop, &QAction::triggered, this, &QueuePanel::moveSelectedToTop);
    connect(m_duplicate, &QAction::triggered, this, &QueuePanel::duplicateCurrent);
    connect(m_delete, &QAction::triggered, this, &QueuePanel::deleteSelected);
}

QAction *QueuePanel::action(Action which) const
{
    switch (which) {
    case Action::Retry:
        return m_retry;
    case Action::Cancel:
        return m_cancel;
    case Action::MoveToTop:
        return m_moveToTop;
    case Action::Duplicate:
        return m_duplicate;
    case Action::Delete:
        return m_delete;
    }
    return nullptr;
}

QList<JobRecord> QueuePanel::selectedJobs() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    QList<JobRecord> jobs;
    for (const int row : rows) {
        if (const JobRecord *job = m_model->jobAt(row))
            jobs << *job;
    }
    return jobs;
}

QList<JobId> QueuePanel::selectedJobIds() const
{
    QList<JobId> ids;
    const QList<JobRecord> jobs = selectedJobs();
    for (const JobRecord &job : jobs)
        ids << job.id;
    return ids;
}

JobId QueuePanel::currentJobId() const
{
    return m_model->jobId(m_view->currentIndex().row());
}

void QueuePanel::updateActions()
{
    int retry = 0, cancel = 0, pending = 0, deletable = 0;
    const QList<JobRecord> jobs = selectedJobs();
    for (const JobRecord &job : jobs) {
        retry += canRetry(job.status) ? 1 : 0;
        cancel += canCancel(job.status) ? 1 : 0;
        pending += job.status == JobStatus::Pending ? 1 : 0;
        deletable += canDelete(job.status) ? 1 : 0;
    }
    m_retry->setEnabled(retry > 0);
    m_cancel->setEnabled(cancel > 0);
    m_moveToTop->setEnabled(pending > 0 && m_writer);
    m_duplicate->setEnabled(jobs.size() == 1);
    m_delete->setEnabled(deletable > 0 && m_writer);
    m_retry->setText(retry > 1 ? tr("Retry %n", nullptr, retry) : tr("Retry"));
    m_cancel->setText(cancel > 1 ? tr("Cancel %n", nullptr, cancel) : tr("Cancel"));
}

QString QueuePanel::emptyStateText() const
{
    return m_stack->currentWidget() == m_empty ? m_empty->text() : QString();
}

void QueuePanel::updateEmptyState()
{
    const int total = m_model->totalCount();
    const bool onlySome = !m_model->query().ids.isEmpty();
    const bool filtered = !m_model->query().text.isEmpty() || m_model->query().status || onlySome;
    updateChip();
    if (m_model->rowCount() == 0) {
        if (onlySome)
            m_empty->setText(tr("None of these jobs exist any more. Click “Show all” to see "
                                "the whole queue."));
        else
            m_empty->setText(filtered ? tr("No jobs match this search or filter. Clear the "
                                           "search, or choose “All jobs”.")
                                      : tr("No jobs yet — write a brief on the left, or "
                                           "import a CSV."));
        m_stack->setCurrentWidget(m_empty);
    } else {
        m_stack->setCurrentWidget(m_view);
    }
    // Plurals spelled out: without a translator loaded, "%n job(s)" would show as written.
    if (filtered)
        m_footer->setText(total == 1 ? tr("1 matching job") : tr("%1 matching jobs").arg(total));
    else
        m_footer->setText(total == 1 ? tr("1 job") : tr("%1 jobs").arg(total));
    updateActions();
}

void QueuePanel::updatePauseButton()
{
    const bool paused = m_pause->isChecked();
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_pause->setToolTip(paused ? tr("The queue is paused: nothing new starts. Click to resume.")
                               : tr("Pause the queue: running steps finish, nothing new starts"));
    m_pause->setAccessibleName(paused ? tr("Resume the queue") : tr("Pause the queue"));
}

void QueuePanel::showContextMenu(const QPoint &pos)
{
    if (!m_view->indexAt(pos).isValid())
        return;
    QMenu menu(this);
    menu.addAction(m_retry);
    menu.addAction(m_cancel);
    menu.addAction(m_moveToTop);
    menu.addSeparator();
    menu.addAction(m_duplicate);
    menu.addSeparator();
    menu.addAction(m_delete);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void QueuePanel::fitColumns()
{
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics text(m_view->font());
    const QFontMetrics head(header->font());
    const int padding = 2 * m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 16;
    const auto widest = [&](int column, const QStringList &samples, int extra = 0) {
        int w = head.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString())
                + (JobTableModel::isSortable(column) ? 16 : 0); // room for the sort arrow
        for (const QString &sample : samples)
            w = qMax(w, text.horizontalAdvance(sample) + extra);
        return w + padding;
    };
    QStringList states;
    for (const JobStatus s : {JobStatus::Pending, JobStatus::Processing, JobStatus::Succeeded,
                              JobStatus::Failed, JobStatus::Canceled, JobStatus::NeedsAttention})
        states << JobTableModel::statusText(s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QHash<int, int> widths;
    int statusWidth = widest(JobTableModel::Status, states, 16 + 6);
    const QFontMetrics eta(StatusDelegate::etaFont(m_view->font()));
    for (const auto ms : {std::optional<qint64>(), std::optional<qint64>(59 * 60'000)})
        statusWidth = qMax(statusWidth, eta.horizontalAdvance(formatEta(ms)) + 16 + 6 + padding);
    widths.insert(JobTableModel::Status, statusWidth);
    widths.insert(JobTableModel::Step, widest(JobTableModel::Step, {tr("Image prompt")}));
    widths.insert(JobTableModel::Progress,
                  widest(JobTableModel::Progress, {tr("%1 of %2").arg(8).arg(8)}));
    widths.insert(JobTableModel::Attempts, widest(JobTableModel::Attempts, {QStringLiteral("88")}));
    widths.insert(JobTableModel::Created,
                  widest(JobTableModel::Created, {formatRelativeTime(now.addSecs(-50 * 60), now),
                                                  formatRelativeTime(now.addDays(-1), now),
                                                  formatRelativeTime(now.addDays(-40), now)}));
    widths.insert(JobTableModel::Duration,
                  widest(JobTableModel::Duration, {formatDuration(59 * 60'000 + 59'000)}));

    // Least important first: what goes when the pane is narrow.
    const QList<int> optional = {JobTableModel::Attempts, JobTableModel::Duration,
                                 JobTableModel::Step, JobTableModel::Progress};
    const int productMin = text.horizontalAdvance(QLatin1Char('x')) * 16 + padding;
    const int available = m_view->viewport()->width();
    int needed = header->sectionSize(JobTableModel::Thumbnail) + productMin;
    for (auto it = widths.cbegin(); it != widths.cend(); ++it)
        needed += it.value();
    QSet<int> hidden;
    for (const int column : optional) {
        if (needed <= available)
            break;
        hidden.insert(column);
        needed -= widths.value(column);
    }
    for (auto it = widths.cbegin(); it != widths.cend(); ++it) {
        header->setSectionHidden(it.key(), hidden.contains(it.key()));
        if (header->sectionSize(it.key()) != it.value() && !hidden.contains(it.key()))
            header->resizeSection(it.key(), it.value());
    }
}

bool QueuePanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitColumns();
    return QWidget::eventFilter(watched, event);
}

void QueuePanel::refresh(const QList<JobId> &jobs)
{
    m_model->refresh(jobs);
    updateActions();
}

void QueuePanel::refreshLater(const QList<JobId> &jobs)
{
    m_model->refreshLater(jobs); // dataChanged and layout changes update the actions
}

void QueuePanel::setPaused(bool paused)
{
    const QSignalBlocker block(m_pause);
    m_pause->setChecked(paused);
    updatePauseButton();
    m_model->setQueuePaused(paused);
}

void QueuePanel::selectJob(const JobId &job)
{
    const int row = m_model->rowOf(job);
    if (row < 0)
        return;
    m_view->selectionModel()->setCurrentIndex(m_model->index(row, JobTableModel::Product),
                                              QItemSelectionModel::ClearAndSelect
                                                  | QItemSelectionModel::Rows);
    m_view->scrollTo(m_model->index(row, JobTableModel::Product));
}

QList<JobId> QueuePanel::jobFilter() const
{
    return m_model->query().ids;
}

void QueuePanel::setEstimates(JobEstimates *estimates)
{
    m_model->setEstimates(estimates);
}

void QueuePanel::showOnlyJobs(const QList<JobId> &ids, const QString &label)
{
    if (ids.isEmpty()) {
        showAllJobs();
        return;
    }
    m_chipText = label;
    // The Monitoring view asks for exactly these jobs: no search or status filter on top.
    m_searchDelay->stop();
    {
        const QSignalBlocker blockSearch(m_search);
        const QSignalBlocker blockStatus(m_status);
        m_search->clear();
        m_status->setCurrentIndex(0);
    }
    m_model->setTextFilter({});
    m_model->setStatusFilter(std::nullopt);
    m_model->setIdFilter(ids);
    updateChip();
    updateEmptyState();
}

void QueuePanel::showAllJobs()
{
    m_chipText.clear();
    m_model->setIdFilter({});
    updateChip();
    updateEmptyState();
}

void QueuePanel::updateChip()
{
    const bool on = !m_model->query().ids.isEmpty();
    m_chip->setVisible(on);
    if (!on)
        return;
    const int n = m_model->totalCount();
    const QString count = n == 1 ? tr("1 job") : tr("%1 jobs").arg(n);
    m_chipLabel->setText(m_chipText.isEmpty() ? count : tr("%1 — %2").arg(m_chipText, count));
    m_chipLabel->setToolTip(m_chipLabel->text());
}

void QueuePanel::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void QueuePanel::retrySelected()
{
    QList<RetryRequest> requests;
    const QList<JobRecord> jobs = selectedJobs();
    for (const JobRecord &job : jobs) {
        if (canRetry(job.status))
            requests << RetryRequest{job.id, {}, std::nullopt};
    }
    if (!requests.isEmpty())
        Q_EMIT retryRequested(requests);
}

void QueuePanel::cancelSelected()
{
    QList<JobId> ids;
    const QList<JobRecord> jobs = selectedJobs();
    for (const JobRecord &job : jobs) {
        if (canCancel(job.status))
            ids << job.id;
    }
    if (!ids.isEmpty())
        Q_EMIT cancelRequested(ids);
}

void QueuePanel::moveSelectedToTop()
{
    if (!m_writer)
        return;
    QList<JobId> ids;
    const QList<JobRecord> jobs = selectedJobs();
    for (const JobRecord &job : jobs) {
        if (job.status == JobStatus::Pending)
            ids << job.id;
    }
    if (ids.isEmpty())
        return;
    if (const auto moved = m_writer->moveJobsToTop(ids); !moved) {
        Q_EMIT problem(moved.error().message);
        return;
    }
    m_model->refresh(ids);
}

void QueuePanel::duplicateCurrent()
{
    const QList<JobRecord> jobs = selectedJobs();
    const JobRecord *job = m_model->jobAt(m_view->currentIndex().row());
    const JobRecord &source = jobs.size() == 1 || !job ? jobs.value(0) : *job;
    if (source.id.isNull())
        return;
    const auto brief = briefOfJob(source);
    if (!brief) {
        Q_EMIT problem(tr("This job's brief can't be read, so it can't be duplicated."));
        return;
    }
    Q_EMIT duplicateRequested(*brief);
}

void QueuePanel::deleteSelected()
{
    if (!m_writer)
        return;
    QList<JobId> ids;
    int running = 0;
    const QList<JobRecord> jobs = selectedJobs();
    for (const JobRecord &job : jobs) {
        if (canDelete(job.status))
            ids << job.id;
        else
            ++running;
    }
    if (ids.isEmpty())
        return;
    QString text = ids.size() == 1 ? tr("Delete 1 job from Brieflow?")
                                   : tr("Delete %1 jobs from Brieflow?").arg(ids.size());
    text += QLatin1Char(' ')
            + tr("Their steps and history go; images already saved stay in the output folder.");
    if (running > 0)
        text += QLatin1Char(' ')
                + (running == 1 ? tr("1 job still waiting or running will be kept: cancel it "
                                     "first.")
                                : tr("%1 jobs still waiting or running will be kept: cancel them "
                                     "first.")
                                      .arg(running));
    if (!m_confirm(tr("Delete jobs"), text))
        return;
    const auto deleted = m_writer->deleteJobs(ids);
    if (!deleted) {
        Q_EMIT problem(deleted.error().message);
        return;
    }
    m_model->refresh(ids);
    Q_EMIT jobsDeleted(ids);
}

} // namespace brieflow::ui
