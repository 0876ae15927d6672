// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QList>
#include <QWidget>

#include "core/brief/brief.h"
#include "core/pipeline/enginetypes.h"
#include "core/store/records.h"
#include "ui/widgets/briefform.h" // Q_DECLARE_METATYPE(brieflow::Brief)

class QAction;
class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

class JobEstimates;
class JobTableModel;
class ThumbnailCache;

/**
 * The queue pane: search (Ctrl+F), a status filter, the pause/resume toggle and the job table
 * (multi-select, drag pending jobs to reorder, context menu), with Retry (Ctrl+R), Cancel, Move
 * to top, Duplicate brief and Delete (Del, after a confirmation naming how many jobs) for the
 * selection. What goes through the engine is emitted; plain store writes (delete, reorder) are
 * done here through the Writer passed in.
 *
 * API for the integrator:
 *   QueuePanel(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails, QWidget *parent)
 *     reader: a store on the GUI thread for the model; writer: a Writer on the GUI thread for
 *     delete and reorder (null: those actions are off); thumbnails: may be null.
 *   signals: retryRequested(QList<RetryRequest>)  → EngineHost::retry for each
 *            cancelRequested(QList<JobId>)        → EngineHost::cancel for each
 *            duplicateRequested(Brief)            → BriefForm::setBrief
 *            currentJobChanged(JobId)             → JobDetailView::showJob (null: none)
 *            pauseToggled(bool paused)            → EngineHost::setPaused
 *            jobsDeleted(QList<JobId>)            → e.g. clear the detail if it showed one
 *            problem(QString)                     → status bar (a store write failed)
 *   slots:   refresh(QList<JobId>)  ← EngineHost::jobsChanged (and after submitting a brief)
 *            setPaused(bool)        ← reflect the engine's state without emitting pauseToggled
 *            selectJob(JobId), focusSearch()
 *            showOnlyJobs(ids, label) ← the Monitoring view's "show these jobs": only those
 *                                     rows, with a chip "label — N jobs · Show all"
 *            showAllJobs()            clears it (the chip's "Show all")
 *   setEstimates(JobEstimates *)  queued and running jobs show their ETA under their state
 */
class QueuePanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueuePanel)

public:
    QueuePanel(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails,
               QWidget *parent = nullptr);
    ~QueuePanel() override;

    JobTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *statusFilter() const { return m_status; }
    QToolButton *pauseButton() const { return m_pause; }
    /** Shown while showOnlyJobs() limits the rows: "label — N jobs" and Show all. */
    QFrame *jobFilterChip() const { return m_chip; }
    QLabel *jobFilterLabel() const { return m_chipLabel; }
    QToolButton *showAllButton() const { return m_showAll; }
    /** The jobs showOnlyJobs() limits the rows to; empty: no such filter. */
    QList<JobId> jobFilter() const;
    /** Where the ETAs come from (null: none); it must outlive the panel. */
    void setEstimates(JobEstimates *estimates);
    /** The empty-state text shown instead of the table (empty when the table shows). */
    QString emptyStateText() const;
    QList<JobId> selectedJobIds() const;
    JobId currentJobId() const;

    enum class Action { Retry, Cancel, MoveToTop, Duplicate, Delete };
    QAction *action(Action which) const;

    /** Asks before deleting; replaceable for tests (the default is a QMessageBox). */
    using Confirm = std::function<bool(const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

public Q_SLOTS:
    void refresh(const QList<brieflow::JobId> &jobs);
    /** refresh(), coalesced (JobTableModel::refreshLater()): for the engine's notifications. */
    void refreshLater(const QList<brieflow::JobId> &jobs);
    void setPaused(bool paused);
    void selectJob(const brieflow::JobId &job);
    void focusSearch();
    /** Shows only @p ids (the search and status filter are cleared), with a chip naming
     *  @p label and how many of them exist, and "Show all". Empty @p ids: showAllJobs(). */
    void showOnlyJobs(const QList<brieflow::JobId> &ids, const QString &label);
    /** Every job again (the chip goes). */
    void showAllJobs();

    void retrySelected();
    void cancelSelected();
    void moveSelectedToTop();
    void duplicateCurrent();
    void deleteSelected();

Q_SIGNALS:
    void retryRequested(const QList<brieflow::RetryRequest> &requests);
    void cancelRequested(const QList<brieflow::JobId> &jobs);
    void duplicateRequested(const brieflow::Brief &brief);
    void currentJobChanged(const brieflow::JobId &job);
    void pauseToggled(bool paused);
    void jobsDeleted(const QList<brieflow::JobId> &jobs);
    void problem(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /** Content-sized columns; the least important are hidden while the pane is too narrow to
     *  show them beside a readable product name, so there is never a horizontal scrollbar. */
    void fitColumns();
    QList<JobRecord> selectedJobs() const;
    void buildActions();
    void showContextMenu(const QPoint &pos);
    void updateActions();
    void updateEmptyState();
    void updatePauseButton();
    void updateChip();

    JobStore *m_writer;
    JobTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_status = nullptr;
    QToolButton *m_pause = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_footer = nullptr;
    QFrame *m_chip = nullptr;
    QLabel *m_chipLabel = nullptr;
    QToolButton *m_showAll = nullptr;
    QString m_chipText;
    QTimer *m_searchDelay = nullptr;
    QTimer *m_clock = nullptr;
    QAction *m_retry = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_moveToTop = nullptr;
    QAction *m_duplicate = nullptr;
    QAction *m_delete = nullptr;
    Confirm m_confirm;
};

} // namespace brieflow::ui
