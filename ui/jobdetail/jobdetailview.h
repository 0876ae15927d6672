// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QList>
#include <QWidget>

#include "core/brief/brief.h"
#include "core/pipeline/enginetypes.h"
#include "core/store/records.h"
#include "core/workflow/workflow.h"
#include "ui/widgets/briefform.h" // Q_DECLARE_METATYPE(brieflow::Brief)

class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QTimer;
class QUrl;
class QVBoxLayout;

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

class Banner;
class JobEstimates;
class StepCard;
class ThumbnailCache;

/**
 * The job pane: a vertical stepper of StepCards for one job — each step's state, model, times,
 * attempts, error in plain words (with details), input and output; the concept text streams in
 * while it is written and images appear the moment they are stored. Actions: Retry (from the
 * failed step), Retry from this step…, Edit the concept or image prompt and Re-run from here,
 * Cancel, Duplicate brief, Delete job (confirmed), Open output folder.
 *
 * API for the integrator:
 *   JobDetailView(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails,
 *                 const QString &outputsDir, QWidget *parent)
 *     reader: a store on the GUI thread; writer: a Writer on the GUI thread for Delete (null:
 *     no Delete); thumbnails: may be null; outputsDir: Paths::outputsDir() for "Open output
 *     folder" when the job has no image yet.
 *   slots:   showJob(JobId)                        ← QueuePanel::currentJobChanged
 *            refresh()                             re-reads the shown job (cheap: its rows)
 *            onJobsChanged(QList<JobId>)           ← EngineHost::jobsChanged
 *            onStepText(JobId, QString step, QString text) ← EngineHost::stepTextUpdated
 *   signals: retryRequested(QList<RetryRequest>)  → EngineHost::retry (one request)
 *            cancelRequested(QList<JobId>)        → EngineHost::cancel
 *            keepWaitingRequested(JobId)          → EngineHost::keepWaiting
 *            duplicateRequested(Brief)            → BriefForm::setBrief
 *            jobDeleted(JobId)                    → QueuePanel::refresh({id})
 *            problem(QString)                     → status bar
 *            exportRequested(QList<OutputId>)     → open an ExportDialog (ui/gallery) for them
 *   setEstimates(JobEstimates *)  a line under the header: "Done in about 3 min · Cost so far:
 *                                 $0.0031" (refreshed with the job and every estimateIntervalMs)
 */
class JobDetailView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobDetailView)

public:
    JobDetailView(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails,
                  const QString &outputsDir, QWidget *parent = nullptr);
    ~JobDetailView() override;

    /** The ETA and cost line follows time this often while the job is queued or running. */
    static constexpr int estimateIntervalMs = 30'000;

    JobId jobId() const { return m_job.id; }
    const JobRecord &job() const { return m_job; }
    int stepCount() const { return static_cast<int>(m_cards.size()); }
    /** The card of the step at @p ordinal, or nullptr. */
    StepCard *card(int ordinal) const;
    /** The card of the step called @p name, or nullptr. */
    StepCard *card(const QString &stepName) const;
    QString headline() const;
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *duplicateButton() const { return m_duplicate; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *openFolderButton() const { return m_openFolder; }
    /** "Export…": the job's images; enabled when it has any. */
    QPushButton *exportButton() const { return m_export; }
    /** Shown while the job is stuck: the reason and Cancel / Retry now / Keep waiting. */
    Banner *stuckBanner() const { return m_stuck; }
    /** Shown when the job's history has an "incident" (e.g. duplicate predictions canceled). */
    Banner *incidentBanner() const { return m_incident; }
    QPushButton *stuckCancelButton() const { return m_stuckCancel; }
    QPushButton *stuckRetryButton() const { return m_stuckRetry; }
    QPushButton *stuckKeepWaitingButton() const { return m_stuckKeepWaiting; }
    /** "Done in about 3 min · Cost so far: $0.0031" (hidden without setEstimates()). */
    QLabel *estimateLine() const { return m_estimateLine; }
    /** Where ETAs and costs come from (null: no line); it must outlive the view. */
    void setEstimates(JobEstimates *estimates);

    /** Asks before deleting or re-running; replaceable for tests (default: QMessageBox). */
    using Confirm = std::function<bool(const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    /** Opens files and folders; replaceable for tests (default: QDesktopServices). */
    using Opener = std::function<void(const QUrl &url)>;
    void setOpener(Opener opener) { m_opener = std::move(opener); }

public Q_SLOTS:
    void showJob(const brieflow::JobId &job);
    void refresh();
    void onJobsChanged(const QList<brieflow::JobId> &jobs);
    void onStepText(const brieflow::JobId &job, const QString &step, const QString &text);

    void retryFailedStep();
    void retryFromStep(const QString &stepName);
    void rerunAfterEdit(const QString &stepName, const QString &editedText);
    void cancelJob();
    /** A stuck job: cancel its stuck prediction and start the step again now. */
    void retryStuck();
    /** A stuck job: keep waiting (the flag clears for another while). */
    void keepWaiting();
    void duplicateBrief();
    void deleteJob();
    void openOutputFolder();
    /** Emits exportRequested() with the job's images, oldest first (nothing without images). */
    void exportImages();

Q_SIGNALS:
    void retryRequested(const QList<brieflow::RetryRequest> &requests);
    void cancelRequested(const QList<brieflow::JobId> &jobs);
    void keepWaitingRequested(const brieflow::JobId &job);
    void duplicateRequested(const brieflow::Brief &brief);
    void jobDeleted(const brieflow::JobId &job);
    void problem(const QString &message);
    /** "Export…" was pressed: export these images of the shown job. */
    void exportRequested(const QList<brieflow::OutputId> &outputs);

private:
    void clearCards();
    void buildCards(int count);
    void updateHeader();
    void updateFooter();
    void updateStuckBanner();
    void updateIncidentBanner();
    /** The ETA (queued or running jobs) and what the job cost so far. */
    void updateEstimateLine();
    /** The name of the step after @p stepName, or empty. */
    QString nextStep(const QString &stepName) const;
    QString firstFailedStep() const;

    JobStore &m_store;
    JobStore *m_writer;
    ThumbnailCache *m_thumbnails;
    QString m_outputsDir;
    Workflow m_workflow;
    JobRecord m_job;
    QList<StepRecord> m_steps;
    QList<OutputRecord> m_outputs;
    QList<StepCard *> m_cards;

    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_subtitle = nullptr;
    QLabel *m_estimateLine = nullptr;
    JobEstimates *m_estimates = nullptr;
    QTimer *m_estimateTimer = nullptr;
    QScrollArea *m_scroll = nullptr;
    QVBoxLayout *m_cardsLayout = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_openFolder = nullptr;
    QPushButton *m_export = nullptr;
    Banner *m_stuck = nullptr;
    Banner *m_incident = nullptr;
    QPushButton *m_stuckCancel = nullptr;
    QPushButton *m_stuckRetry = nullptr;
    QPushButton *m_stuckKeepWaiting = nullptr;
    Confirm m_confirm;
    Opener m_opener;
};

} // namespace brieflow::ui
