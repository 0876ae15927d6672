// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobdetailview.h"

#include <algorithm>

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include "core/app/jobsubmission.h"
#include "core/monitoring/eta.h"
#include "core/store/jobstore.h"
#include "ui/jobdetail/stepcard.h"
#include "ui/queue/jobestimates.h"
#include "ui/queue/jobstatusstyle.h"
#include "ui/shell/banner.h"

namespace brieflow::ui {

namespace {

bool isActive(JobStatus s)
{
    return s == JobStatus::Pending || s == JobStatus::Processing;
}
bool isStopped(StepStatus s)
{
    return s == StepStatus::Failed || s == StepStatus::NeedsAttention || s == StepStatus::Canceled;
}

} // namespace

JobDetailView::JobDetailView(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails,
                             const QString &outputsDir, QWidget *parent)
    : QWidget(parent)
    , m_store(reader)
    , m_writer(writer)
    , m_thumbnails(thumbnails)
    , m_outputsDir(outputsDir)
{
    setAccessibleName(tr("Job"));
    if (auto workflow = builtinWorkflow(defaultWorkflowId()))
        m_workflow = std::move(workflow).value();
    m_confirm = [this](const QString &title, const QString &text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel)
               == QMessageBox::Yes;
    };
    m_opener = [](const QUrl &url) { QDesktopServices::openUrl(url); };

    m_empty = new QLabel(tr("Select a job in the queue to see its steps, its outputs and what "
                            "you can do with it."),
                         this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setContentsMargins(24, 24, 24, 24);
    QPalette quiet = m_empty->palette();
    quiet.setColor(QPalette::WindowText, quiet.color(QPalette::PlaceholderText));
    m_empty->setPalette(quiet);

    auto *page = new QWidget(this);
    m_title = new QLabel(page);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusIcon = new QLabel(page);
    m_status = new QLabel(page);
    m_subtitle = new QLabel(page);
    m_subtitle->setPalette(quiet);
    m_subtitle->setWordWrap(true);
    m_estimateLine = new QLabel(page);
    m_estimateLine->setPalette(quiet);
    m_estimateLine->setWordWrap(true);
    m_estimateLine->setAccessibleName(tr("Estimate and cost"));
    m_estimateLine->hide();
    m_estimateTimer = new QTimer(this);
    m_estimateTimer->setInterval(estimateIntervalMs);
    connect(m_estimateTimer, &QTimer::timeout, this, &JobDetailView::updateEstimateLine);
    auto *header = new QHBoxLayout;
    header->setSpacing(8);
    header->addWidget(m_title, 1);
    header->addWidget(m_statusIcon);
    header->addWidget(m_status);

    auto *cards = new QWidget;
    m_cardsLayout = new QVBoxLayout(cards);
    m_cardsLayout->setContentsMargins(0, 0, 0, 0);
    m_cardsLayout->setSpacing(8);
    m_cardsLayout->addStretch(1);
    m_scroll = new QScrollArea(page);
    m_scroll->setWidget(cards);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_retry = new QPushButton(tr("Retry"), page);
    m_retry->setToolTip(tr("Run the job again from the step that stopped"));
    m_cancel = new QPushButton(tr("Cancel"), page);
    m_cancel->setToolTip(tr("Stop this job; steps already done are kept"));
    // The secondary actions are icon buttons (named for screen readers, explained in tooltips)
    // so the pane stays narrow enough for a 1,100 px window with the navigation rail.
    const auto iconButton = [page](const QString &icon, const QString &name, const QString &tip) {
        auto *b =
            new QPushButton(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)), QString(), page);
        b->setAccessibleName(name);
        b->setToolTip(tip);
        return b;
    };
    m_duplicate = iconButton(QStringLiteral("duplicate"), tr("Duplicate brief"),
                             tr("Duplicate brief: copy this job's brief into the form to make a "
                                "variant"));
    m_delete = iconButton(QStringLiteral("delete"), tr("Delete job"),
                          tr("Delete job: remove it from Brieflow; saved images stay on disk"));
    m_openFolder = iconButton(QStringLiteral("folder-open"), tr("Open folder"),
                              tr("Open folder: show the saved images in the file manager"));
    m_export = new QPushButton(QIcon(QStringLiteral(":/icons/export.svg")), tr("Export…"), page);
    m_export->setToolTip(tr("Export this job's images with their brief, concept and prompt"));
    auto *footer = new QHBoxLayout;
    footer->setSpacing(8);
    for (QPushButton *b : {m_retry, m_cancel, m_duplicate, m_openFolder, m_export})
        footer->addWidget(b);
    footer->addStretch(1);
    footer->addWidget(m_delete);

    // A stuck job: what looks wrong, in plain words, and the three things the user can do.
    m_stuck = new Banner(Banner::Kind::Warning, page);
    m_stuck->setAccessibleName(tr("Stuck"));
    m_stuckCancel = m_stuck->addButton(tr("Cancel"), tr("Stop this job; steps already done are "
                                                        "kept"));
    m_stuckRetry = m_stuck->addButton(
        tr("Retry now"), tr("Stop the stuck prediction at Replicate, then run this step again"));
    m_stuckKeepWaiting = m_stuck->addButton(
        tr("Keep waiting"), tr("Let it run; Brieflow won't flag it again for a while"));
    m_stuck->hide();

    // Something went wrong around the job although it went on (duplicate predictions found and
    // canceled): money may have been spent, so it stays visible with the job.
    m_incident = new Banner(Banner::Kind::Warning, page);
    m_incident->setAccessibleName(tr("Incident"));
    m_incident->hide();

    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(16, 16, 16, 8); // off the splitter, on the 8 px grid
    pageLayout->setSpacing(8);
    pageLayout->addLayout(header);
    pageLayout->addWidget(m_subtitle);
    pageLayout->addWidget(m_estimateLine);
    pageLayout->addWidget(m_stuck);
    pageLayout->addWidget(m_incident);
    pageLayout->addWidget(m_scroll, 1);
    pageLayout->addLayout(footer);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(page);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_retry, &QPushButton::clicked, this, &JobDetailView::retryFailedStep);
    connect(m_cancel, &QPushButton::clicked, this, &JobDetailView::cancelJob);
    connect(m_stuckCancel, &QPushButton::clicked, this, &JobDetailView::cancelJob);
    connect(m_stuckRetry, &QPushButton::clicked, this, &JobDetailView::retryStuck);
    connect(m_stuckKeepWaiting, &QPushButton::clicked, this, &JobDetailView::keepWaiting);
    connect(m_duplicate, &QPushButton::clicked, this, &JobDetailView::duplicateBrief);
    connect(m_delete, &QPushButton::clicked, this, &JobDetailView::deleteJob);
    connect(m_openFolder, &QPushButton::clicked, this, &JobDetailView::openOutputFolder);
    connect(m_export, &QPushButton::clicked, this, &JobDetailView::exportImages);
}

JobDetailView::~JobDetailView() = default;

StepCard *JobDetailView::card(int ordinal) const
{
    return m_cards.value(ordinal, nullptr);
}

StepCard *JobDetailView::card(const QString &stepName) const
{
    for (int i = 0; i < m_steps.size() && i < m_cards.size(); ++i) {
        if (m_steps.at(i).name == stepName)
            return m_cards.at(i);
    }
    return nullptr;
}

QString JobDetailView::headline() const
{
    return m_title->text() + QStringLiteral(" · ") + m_status->text();
}

void JobDetailView::showJob(const JobId &job)
{
    if (job == m_job.id && !job.isNull())
        return refresh();
    // The cards stay (another job of the same workflow has as many steps): only what they
    // show changes, instead of building every card again.
    for (StepCard *c : std::as_const(m_cards))
        c->reset();
    m_job = JobRecord();
    m_job.id = job;
    m_steps.clear();
    m_outputs.clear();
    refresh();
}

void JobDetailView::clearCards()
{
    for (StepCard *card : std::as_const(m_cards)) {
        m_cardsLayout->removeWidget(card);
        delete card;
    }
    m_cards.clear();
}

void JobDetailView::buildCards(int count)
{
    // Cards are numbered by position; the step behind a card is looked up when it is used.
    while (m_cards.size() > count) {
        StepCard *last = m_cards.takeLast();
        m_cardsLayout->removeWidget(last);
        delete last;
    }
    for (int i = static_cast<int>(m_cards.size()); i < count; ++i) {
        auto *card = new StepCard(i + 1, m_thumbnails, m_scroll->widget());
        const auto name = [this, i] { return m_steps.value(i).name; };
        connect(card, &StepCard::retryRequested, this, [this, name] {
            if (!m_job.id.isNull())
                Q_EMIT retryRequested({RetryRequest{m_job.id, name(), std::nullopt}});
        });
        connect(card, &StepCard::retryFromHereRequested, this,
                [this, name] { retryFromStep(name()); });
        connect(card, &StepCard::rerunWithEdit, this,
                [this, name](const QString &text) { rerunAfterEdit(name(), text); });
        connect(card, &StepCard::openFileRequested, this,
                [this](const QString &path) { m_opener(QUrl::fromLocalFile(path)); });
        m_cardsLayout->insertWidget(i, card);
        m_cards << card;
    }
}

void JobDetailView::onJobsChanged(const QList<JobId> &jobs)
{
    if (!m_job.id.isNull() && jobs.contains(m_job.id))
        refresh();
}

void JobDetailView::refresh()
{
    if (m_job.id.isNull()) {
        clearCards();
        m_stuck->hide();
        m_incident->hide();
        m_empty->setText(tr("Select a job in the queue to see its steps, its outputs and what "
                            "you can do with it."));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    const auto job = m_store.job(m_job.id);
    if (!job) {
        Q_EMIT problem(job.error().message);
        return;
    }
    if (!job->has_value()) {
        clearCards();
        m_job = JobRecord();
        m_empty->setText(tr("This job no longer exists."));
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    const auto steps = m_store.steps(m_job.id);
    const auto outputs = m_store.outputs(m_job.id);
    if (!steps || !outputs) {
        Q_EMIT problem(!steps ? steps.error().message : outputs.error().message);
        return;
    }
    m_job = **job;
    m_steps = steps.value();
    m_outputs = outputs.value();
    if (m_steps.size() != m_cards.size())
        buildCards(static_cast<int>(m_steps.size()));

    const bool active = isActive(m_job.status);
    for (int i = 0; i < m_steps.size(); ++i) {
        const StepRecord &step = m_steps.at(i);
        StepView view;
        view.step = step;
        const StepDefinition *definition = m_workflow.step(step.name);
        view.title = definition ? definition->title : step.name;
        view.kind = definition
                        ? definition->kind
                        : (step.name == QStringLiteral("image") ? StepKind::Image : StepKind::Text);
        view.model = definition ? definition->model : QString();
        if (step.attemptCount > 0) {
            const auto calls = m_store.calls(step.id);
            if (calls)
                view.calls = calls.value();
            if (!view.calls.isEmpty() && !view.calls.constLast().modelRef.isEmpty())
                view.model = view.calls.constLast().modelRef;
        }
        for (const OutputRecord &output : std::as_const(m_outputs)) {
            if (output.stepId == step.id && output.mime.startsWith(QStringLiteral("image/")))
                view.images << output;
        }
        view.jobActive = active;
        view.isLast = i == m_steps.size() - 1;
        const QString next = nextStep(step.name);
        const StepDefinition *nextDefinition = m_workflow.step(next);
        view.canEdit = view.kind == StepKind::Text && !next.isEmpty()
                       && (!nextDefinition || nextDefinition->kind != StepKind::Store);
        m_cards.at(i)->setStep(view); // a no-op when nothing it shows changed
    }
    updateHeader();
    updateFooter();
    updateStuckBanner();
    updateIncidentBanner();
    updateEstimateLine();
    m_stack->setCurrentIndex(1);
}

void JobDetailView::setEstimates(JobEstimates *estimates)
{
    if (m_estimates)
        disconnect(m_estimates, nullptr, this, nullptr);
    m_estimates = estimates;
    if (estimates) {
        connect(estimates, &JobEstimates::changed, this, &JobDetailView::updateEstimateLine);
        connect(estimates, &QObject::destroyed, this, [this] {
            m_estimates = nullptr;
            updateEstimateLine();
        });
    }
    updateEstimateLine();
}

void JobDetailView::updateEstimateLine()
{
    JobEstimates *estimates = m_estimates;
    const bool active = isActive(m_job.status);
    if (!estimates || m_job.id.isNull() || m_job.createdAt.isNull()) {
        m_estimateLine->hide();
        m_estimateTimer->stop();
        return;
    }
    QStringList parts;
    if (active) {
        const auto ahead = m_store.jobsAhead({m_job.id});
        const int before = ahead ? ahead->value(m_job.id, 0) : 0;
        const auto eta = estimates->remainingMs(m_job, m_steps, before);
        QString text =
            eta ? tr("Done in %1").arg(formatEta(eta)) : tr("Done in: %1").arg(formatEta(eta));
        if (ahead && before > 0)
            text += QLatin1Char(' ')
                    + (before == 1 ? tr("(1 job ahead)") : tr("(%1 jobs ahead)").arg(before));
        parts << text;
    }
    if (const auto cost = estimates->jobCost(m_job.id))
        parts << (active ? tr("Cost so far: %1") : tr("Cost: %1")).arg(formatUsd(*cost));
    m_estimateLine->setText(parts.join(QStringLiteral(" · ")));
    m_estimateLine->setToolTip(
        tr("Done in: from how long this job's models took in finished jobs and its place in "
           "the queue. Cost: each prediction's run time × its model's price (Settings ▸ Cost)."));
    m_estimateLine->setVisible(!parts.isEmpty());
    if (active && !m_estimateTimer->isActive())
        m_estimateTimer->start();
    else if (!active)
        m_estimateTimer->stop();
}

void JobDetailView::updateHeader()
{
    const auto brief = briefOfJob(m_job);
    m_title->setText(brief ? brief->productName : tr("(unreadable brief)"));
    const bool stuck = m_job.isStuck();
    m_statusIcon->setPixmap((stuck ? stuckIcon() : statusIcon(m_job.status)).pixmap(16, 16));
    m_status->setText(stuck ? stuckWord() : statusWord(m_job.status));
    QStringList parts;
    parts << tr("Created %1")
                 .arg(QLocale().toString(m_job.createdAt.toLocalTime(), QLocale::ShortFormat));
    int images = 0;
    for (const OutputRecord &output : std::as_const(m_outputs))
        images += output.mime.startsWith(QStringLiteral("image/")) ? 1 : 0;
    if (images > 0)
        parts << (images == 1 ? tr("1 image") : tr("%1 images").arg(images));
    if (brief)
        parts << brief->audience;
    m_subtitle->setText(parts.join(QStringLiteral(" · ")));
    setAccessibleDescription(headline());
}

void JobDetailView::updateFooter()
{
    const JobStatus s = m_job.status;
    m_retry->setVisible(s == JobStatus::Failed || s == JobStatus::Canceled
                        || s == JobStatus::NeedsAttention);
    m_cancel->setVisible(isActive(s) || s == JobStatus::NeedsAttention);
    m_delete->setVisible(m_writer != nullptr);
    m_delete->setEnabled(!isActive(s) && s != JobStatus::NeedsAttention);
    m_delete->setToolTip(m_delete->isEnabled()
                             ? tr("Delete job: remove it from Brieflow; saved images stay on disk")
                             : tr("Delete job: cancel the job before deleting it"));
    m_openFolder->setEnabled(!m_outputs.isEmpty() || !m_outputsDir.isEmpty());
    const bool hasImages =
        std::any_of(m_outputs.cbegin(), m_outputs.cend(), [](const OutputRecord &o) {
            return o.mime.startsWith(QStringLiteral("image/"));
        });
    m_export->setEnabled(hasImages);
    m_export->setToolTip(hasImages
                             ? tr("Export this job's images with their brief, concept and prompt")
                             : tr("This job has no images yet"));
}

void JobDetailView::updateStuckBanner()
{
    if (!m_job.isStuck()) {
        m_stuck->hide();
        return;
    }
    m_stuck->setText(tr("This job looks stuck. %1 You can cancel it, try the step again now, or "
                        "keep waiting.")
                         .arg(m_job.stuckReason));
    m_stuck->show();
}

void JobDetailView::updateIncidentBanner()
{
    const auto events = m_store.events(m_job.id);
    QStringList incidents;
    if (events) {
        for (const EventRecord &event : *events) {
            if (event.kind == QStringLiteral("incident"))
                incidents << event.message;
        }
    }
    if (incidents.isEmpty()) {
        m_incident->hide();
        return;
    }
    QString text = incidents.constLast();
    if (incidents.size() > 1) {
        const qsizetype earlier = incidents.size() - 1;
        text += QLatin1Char(' ')
                + (earlier == 1 ? tr("(1 earlier incident in this job's history.)")
                                : tr("(%1 earlier incidents in this job's history.)").arg(earlier));
    }
    m_incident->setText(text);
    m_incident->show();
}

QString JobDetailView::nextStep(const QString &stepName) const
{
    for (int i = 0; i + 1 < m_steps.size(); ++i) {
        if (m_steps.at(i).name == stepName)
            return m_steps.at(i + 1).name;
    }
    return {};
}

QString JobDetailView::firstFailedStep() const
{
    for (const StepRecord &step : m_steps) {
        if (isStopped(step.status))
            return step.name;
    }
    return {};
}

void JobDetailView::onStepText(const JobId &job, const QString &step, const QString &text)
{
    if (job != m_job.id)
        return;
    if (StepCard *c = card(step))
        c->setStreamingText(text);
}

void JobDetailView::retryFailedStep()
{
    if (m_job.id.isNull())
        return;
    Q_EMIT retryRequested({RetryRequest{m_job.id, firstFailedStep(), std::nullopt}});
}

void JobDetailView::retryFromStep(const QString &stepName)
{
    if (m_job.id.isNull())
        return;
    const StepDefinition *definition = m_workflow.step(stepName);
    const QString title = definition ? definition->title : stepName;
    if (!m_confirm(tr("Retry from this step"),
                   tr("Run “%1” and every step after it again? The steps before it are kept. "
                      "This sends new requests to the models.")
                       .arg(title)))
        return;
    Q_EMIT retryRequested({RetryRequest{m_job.id, stepName, std::nullopt}});
}

void JobDetailView::rerunAfterEdit(const QString &stepName, const QString &editedText)
{
    const QString next = nextStep(stepName);
    if (m_job.id.isNull() || next.isEmpty())
        return;
    Q_EMIT retryRequested({RetryRequest{m_job.id, next, editedText}});
    if (StepCard *c = card(stepName))
        c->cancelEditing();
}

void JobDetailView::cancelJob()
{
    if (!m_job.id.isNull())
        Q_EMIT cancelRequested({m_job.id});
}

void JobDetailView::retryStuck()
{
    if (!m_job.id.isNull() && m_job.isStuck())
        Q_EMIT retryRequested({RetryRequest{m_job.id, {}, std::nullopt}});
}

void JobDetailView::keepWaiting()
{
    if (!m_job.id.isNull() && m_job.isStuck())
        Q_EMIT keepWaitingRequested(m_job.id);
}

void JobDetailView::duplicateBrief()
{
    if (const auto brief = briefOfJob(m_job))
        Q_EMIT duplicateRequested(*brief);
    else
        Q_EMIT problem(tr("This job's brief can't be read, so it can't be duplicated."));
}

void JobDetailView::deleteJob()
{
    if (!m_writer || m_job.id.isNull() || isActive(m_job.status))
        return;
    const auto brief = briefOfJob(m_job);
    if (!m_confirm(tr("Delete job"),
                   tr("Delete the job “%1” from Brieflow? Its steps and history go; images "
                      "already saved stay in the output folder.")
                       .arg(brief ? brief->productName : m_job.id.toString())))
        return;
    const JobId id = m_job.id;
    if (const auto deleted = m_writer->deleteJob(id); !deleted) {
        Q_EMIT problem(deleted.error().message);
        return;
    }
    showJob(JobId());
    Q_EMIT jobDeleted(id);
}

void JobDetailView::openOutputFolder()
{
    QString folder = m_outputsDir;
    for (const OutputRecord &output : std::as_const(m_outputs)) {
        if (!output.filePath.isEmpty()) {
            folder = QFileInfo(output.filePath).absolutePath();
            break;
        }
    }
    if (folder.isEmpty())
        return;
    QDir().mkpath(folder);
    m_opener(QUrl::fromLocalFile(folder));
}

void JobDetailView::exportImages()
{
    QList<OutputId> images;
    for (const OutputRecord &output : std::as_const(m_outputs)) {
        if (output.mime.startsWith(QStringLiteral("image/")))
            images << output.id;
    }
    if (!images.isEmpty())
        Q_EMIT exportRequested(images);
}

} // namespace brieflow::ui
