// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QVBoxLayout>

#include "core/app/jobsubmission.h"
#include "core/brief/briefcsv.h"
#include "core/pipeline/enginehost.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "ui/gallery/galleryicons.h"
#include "ui/gallery/gallerypanel.h"
#include "ui/gallery/imagereimport.h"
#include "ui/jobdetail/jobdetailview.h"
#include "ui/monitor/monitorpanel.h"
#include "ui/queue/jobestimates.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuepanel.h"
#include "ui/queue/thumbnailcache.h"
#include "ui/shell/banner.h"
#include "ui/shell/firstrundialog.h"
#include "ui/shell/lagmonitor.h"
#include "ui/shell/navigationrail.h"
#include "ui/shell/providerprobe.h"
#include "ui/shell/statusindicators.h"
#include "ui/shell/toast.h"
#include "ui/shell/tokenstore.h"
#include "ui/widgets/briefform.h"
#include "ui/widgets/csvimportdialog.h"

namespace brieflow::ui {

namespace {

const QUrl billingUrl(QStringLiteral("https://replicate.com/account/billing"));

MainWindow::Services queueOnly(JobStore &store, Settings &settings, const Paths &paths)
{
    MainWindow::Services s;
    s.writer = &store;
    s.settings = &settings;
    s.paths = paths;
    return s;
}

} // namespace

MainWindow::MainWindow(JobStore &store, Settings &settings, const Paths &paths, QWidget *parent)
    : MainWindow(queueOnly(store, settings, paths), parent)
{}

MainWindow::MainWindow(const Services &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_demo(services.paths.isDemo())
{
    Q_ASSERT(services.writer && services.settings);
    setWindowTitle(m_demo ? tr("Brieflow — Demo") : tr("Brieflow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/brieflow.svg")));
    // Runs as long as the window does: the Monitor's responsiveness chart reads it.
    m_lag = new LagMonitor(std::chrono::milliseconds(20), this);
    m_lag->start();
    m_probe = new ProviderProbe(services.providerApiBase, this);
    m_thumbnails = new ThumbnailCache(services.paths.cacheDir(), this);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    buildBanners();
    layout->addWidget(m_demoBanner);
    layout->addWidget(m_attentionBanner);
    layout->addWidget(m_engineBanner);

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(1);

    m_form = new BriefForm;
    m_form->setSubmitShortcutEnabled(false); // the window's Generate action has Ctrl+Enter
    auto *formScroll = new QScrollArea(m_splitter);
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    formScroll->setMinimumWidth(280);
    formScroll->setAccessibleName(tr("Brief"));

    m_queue = new QueuePanel(reader(), services.writer, m_thumbnails, m_splitter);
    m_queue->setMinimumWidth(280);
    m_queue->setAccessibleName(tr("Queue"));
    m_detail = new JobDetailView(reader(), services.writer, m_thumbnails,
                                 services.paths.outputsDir(), m_splitter);
    // No explicit minimum: the job pane's own (its row of buttons) keeps them readable.
    m_detail->setAccessibleName(tr("Job"));
    // ETAs and cost estimates from the current settings (models, jobs at once, prices).
    m_estimates = new JobEstimates(reader(), this);
    m_estimates->applySettings(*services.settings);
    m_form->setEstimates(m_estimates);
    m_queue->setEstimates(m_estimates);
    m_detail->setEstimates(m_estimates);
    m_splitter->addWidget(formScroll);
    m_splitter->addWidget(m_queue);
    m_splitter->addWidget(m_detail);
    // The form keeps its width; the queue and the job share what the window gains or loses,
    // the queue a little more. At the default 1360 px: 300 · 560 · 500; at 1600: about
    // 300 · 700 · 600; at 1280: 300 · 510 · 470. The queue shows every column from ~760 px and
    // drops the least important ones below that, never scrolling sideways.
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({300, 560, 500});
    layout->addWidget(buildNavigation(m_splitter), 1);
    setCentralWidget(central);

    m_indicators = new StatusIndicators(statusBar());
    statusBar()->addPermanentWidget(m_indicators);
    m_toast = new Toast(this);
    // Never over the job's buttons.
    m_toast->setKeepAbove({m_detail->cancelButton(), m_detail->retryButton(),
                           m_detail->duplicateButton(), m_detail->openFolderButton(),
                           m_detail->deleteButton()});
    m_countsTimer = new QTimer(this);
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(countsIntervalMs);
    connect(m_countsTimer, &QTimer::timeout, this, &MainWindow::updateCounts);
    m_rateLimitNotice = new QTimer(this);
    m_rateLimitNotice->setSingleShot(true);
    connect(m_rateLimitNotice, &QTimer::timeout, this, [this] { m_indicators->setNotice({}); });

    connect(m_form, &BriefForm::submitted, this, &MainWindow::queueBrief);
    connect(m_form, &BriefForm::importCsvRequested, this, &MainWindow::chooseCsvFile);
    connect(m_queue, &QueuePanel::currentJobChanged, m_detail, &JobDetailView::showJob);
    connect(m_queue, &QueuePanel::duplicateRequested, m_form, &BriefForm::setBrief);
    connect(m_detail, &JobDetailView::duplicateRequested, m_form, &BriefForm::setBrief);
    connect(m_queue, &QueuePanel::problem, this, &MainWindow::showStatus);
    connect(m_detail, &JobDetailView::problem, this, &MainWindow::showStatus);
    connect(m_queue, &QueuePanel::jobsDeleted, this, [this](const QList<JobId> &jobs) {
        if (jobs.contains(m_detail->jobId()))
            m_detail->showJob(JobId());
        updateCounts();
    });
    connect(m_detail, &JobDetailView::jobDeleted, this, [this](const JobId &job) {
        m_queue->refresh({job});
        updateCounts();
    });
    buildMenus();
    connectEngine();
    updateCounts();

    resize(1360, 820);
    restoreGeometry(m_services.settings->value(Settings::MainWindowGeometry));
    restoreState(m_services.settings->value(Settings::MainWindowState));
    m_splitter->restoreState(m_services.settings->value(Settings::CreateSplitterState));
    showStatus(tr("Data folder: %1").arg(services.paths.dataDir()));
}

MainWindow::~MainWindow() = default;

JobStore &MainWindow::reader() const
{
    return m_services.reader ? *m_services.reader : *m_services.writer;
}

JobTableModel *MainWindow::jobModel() const
{
    return m_queue->model();
}

CsvImportDialog *MainWindow::csvImportDialog() const
{
    return m_csvDialog.data();
}

QTableView *MainWindow::queueView() const
{
    return m_queue->view();
}

void MainWindow::buildBanners()
{
    m_demoBanner = new Banner(Banner::Kind::Warning, this);
    m_demoBanner->setObjectName(QStringLiteral("demoBanner"));
    m_demoBanner->setText(tr("Demo — images come from the built-in sandbox; nothing is sent to "
                             "Replicate."));
    connect(m_demoBanner->addButton(tr("Add API token"),
                                    tr("Open Settings to add your Replicate API token")),
            &QPushButton::clicked, this,
            [this] { openSettings(SettingsDialog::Page::Connection); });
    m_demoBanner->setVisible(m_demo);

    m_attentionBanner = new Banner(Banner::Kind::Warning, this);
    m_attentionBanner->setObjectName(QStringLiteral("attentionBanner"));
    m_attentionBanner->hide();

    m_engineBanner = new Banner(Banner::Kind::Error, this);
    m_engineBanner->setObjectName(QStringLiteral("engineBanner"));
    m_engineBanner->hide();
}

QWidget *MainWindow::buildNavigation(QWidget *createPage)
{
    auto *body = new QWidget(this);
    auto *row = new QHBoxLayout(body);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    m_rail = new NavigationRail(body);
    m_rail->addPage(themedIcon(QStringLiteral("create")), tr("Create"),
                    tr("Write briefs and follow the queue"), QKeySequence(Qt::CTRL | Qt::Key_1));
    m_rail->addPage(themedIcon(QStringLiteral("gallery")), tr("Gallery"),
                    tr("Browse, compare and export the images"),
                    QKeySequence(Qt::CTRL | Qt::Key_2));
    m_rail->addPage(themedIcon(QStringLiteral("monitor")), tr("Monitor"),
                    tr("What ran, what failed, how long it took and what it cost"),
                    QKeySequence(Qt::CTRL | Qt::Key_3));
    m_gallery = new GalleryPanel(reader(), m_services.writer, m_thumbnails, m_services.settings);
    m_monitor = new MonitorPanel(reader().fileName(), m_services.settings, m_lag);
    m_pages = new QStackedWidget(body);
    m_pages->addWidget(createPage);
    m_pages->addWidget(m_gallery);
    m_pages->addWidget(m_monitor);
    row->addWidget(m_rail);
    row->addWidget(m_pages, 1);
    m_reimport = new ImageReimport(m_services.writer, this);

    connect(m_rail, &NavigationRail::currentPageChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_rail, &NavigationRail::settingsRequested, this,
            [this] { openSettings(SettingsDialog::Page::Connection); });
    connect(m_gallery, &GalleryPanel::createRequested, this, [this] { showPage(Page::Create); });
    connect(m_gallery, &GalleryPanel::showJobRequested, this, &MainWindow::showJob);
    connect(m_monitor, &MonitorPanel::showJobRequested, this, &MainWindow::showJob);
    connect(m_monitor, &MonitorPanel::showJobsRequested, this,
            [this](const QList<JobId> &jobs, const QString &label) {
                showPage(Page::Create);
                m_queue->showOnlyJobs(jobs, label);
            });
    connect(m_monitor, &MonitorPanel::problem, this, &MainWindow::showStatus);
    // Export from the job pane goes through the gallery's dialog (it has the settings).
    connect(m_detail, &JobDetailView::exportRequested, m_gallery, &GalleryPanel::openExport);
    connect(m_gallery, &GalleryPanel::jobsQueued, this, &MainWindow::onJobsQueued);
    connect(m_gallery, &GalleryPanel::problem, this, &MainWindow::showStatus);
    connect(m_gallery, &GalleryPanel::status, this, &MainWindow::showStatus);
    connect(m_gallery, &GalleryPanel::imagesDeleted, this, [this](const QList<JobId> &jobs) {
        m_queue->refresh(jobs); // their thumbnails
        if (jobs.contains(m_detail->jobId()))
            m_detail->refresh();
    });
    connect(m_reimport, &ImageReimport::briefRecalled, this, [this](const Brief &brief) {
        m_form->setBrief(brief);
        showPage(Page::Create);
    });
    connect(m_reimport, &ImageReimport::jobsQueued, this, &MainWindow::onJobsQueued);
    return body;
}

MainWindow::Page MainWindow::currentPage() const
{
    switch (m_rail->currentPage()) {
    case static_cast<int>(Page::Gallery):
        return Page::Gallery;
    case static_cast<int>(Page::Monitor):
        return Page::Monitor;
    default:
        return Page::Create;
    }
}

void MainWindow::showPage(Page page)
{
    m_rail->setCurrentPage(static_cast<int>(page));
}

void MainWindow::showJob(const JobId &job)
{
    showPage(Page::Create);
    m_queue->selectJob(job);
    if (m_detail->jobId() != job)
        m_detail->showJob(job); // not loaded in the queue (filtered or further down)
}

void MainWindow::openImageFile(const QString &path)
{
    m_reimport->open(path);
}

void MainWindow::onJobsQueued(const QList<JobId> &jobs)
{
    m_queue->refresh(jobs);
    if (m_services.engine)
        m_services.engine->wake();
    updateCounts();
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *import = file->addAction(QIcon(QStringLiteral(":/icons/import-csv.svg")),
                                      tr("&Import CSV…"), this, &MainWindow::chooseCsvFile);
    import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    import->setToolTip(tr("Queue a batch of briefs from a CSV file, after a preview"));
    QAction *folder =
        file->addAction(QIcon(QStringLiteral(":/icons/folder-open.svg")), tr("Open &data folder"),
                        this, [this] { openUrl(QUrl::fromLocalFile(m_services.paths.dataDir())); });
    folder->setToolTip(tr("Show where Brieflow keeps jobs and images"));
    QAction *openImage =
        file->addAction(themedIcon(QStringLiteral("image-open")), tr("Open &image…"), m_reimport,
                        &ImageReimport::chooseFile);
    openImage->setShortcut(QKeySequence::Open);
    openImage->setToolTip(tr("Recall the brief of an image exported from Brieflow"));
    file->addSeparator();
    QAction *settings =
        file->addAction(QIcon(QStringLiteral(":/icons/settings.svg")), tr("&Settings…"), this,
                        [this] { openSettings(SettingsDialog::Page::Connection); });
    settings->setShortcuts({QKeySequence::Preferences, QKeySequence(Qt::CTRL | Qt::Key_Comma)});
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *queue = menuBar()->addMenu(tr("&Queue"));
    QAction *generate = queue->addAction(QIcon(QStringLiteral(":/icons/generate.svg")),
                                         tr("&Generate"), m_form, &BriefForm::submit);
    generate->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    generate->setToolTip(tr("Queue the brief in the form"));
    queue->addSeparator();
    for (auto which :
         {QueuePanel::Action::Retry, QueuePanel::Action::Cancel, QueuePanel::Action::MoveToTop,
          QueuePanel::Action::Duplicate, QueuePanel::Action::Delete}) {
        if (QAction *a = m_queue->action(which))
            queue->addAction(a);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
    QAction *logs = help->addAction(QIcon(QStringLiteral(":/icons/folder-open.svg")),
                                    tr("Open &log folder"), this, [this] {
                                        const QString dir = m_services.paths.logDir();
                                        QDir().mkpath(dir);
                                        openUrl(QUrl::fromLocalFile(dir));
                                    });
    logs->setObjectName(QStringLiteral("openLogFolderAction"));
    logs->setToolTip(tr("Show Brieflow's log files (one event per line, never the token)"));
    help->addAction(tr("Brieflow on &GitHub"), this, [this] {
        openUrl(QUrl(QStringLiteral("https://github.com/brieflow/brieflow#readme")));
    });
    QAction *about = help->addAction(tr("&About Brieflow"), this, [this] {
        QMessageBox::about(this, tr("About Brieflow"),
                           tr("<b>Brieflow %1</b><p>Turns marketing briefs into campaign "
                              "concepts and images through a durable pipeline on Replicate.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::connectEngine()
{
    EngineHost *engine = m_services.engine;
    if (m_demo)
        m_indicators->setConnection(StatusIndicators::Connection::Demo);
    if (!engine) {
        if (!m_demo)
            m_indicators->setConnection(StatusIndicators::Connection::Offline,
                                        tr("The engine is not running in this window."));
        return;
    }
    connect(engine, &EngineHost::started, this, &MainWindow::onEngineStarted);
    connect(engine, &EngineHost::jobsChanged, this, [this](const QList<JobId> &jobs) {
        m_queue->refreshLater(jobs);
        m_detail->onJobsChanged(jobs);
        m_gallery->refreshLater();
        m_monitor->onJobsChanged();
        scheduleCounts();
    });
    connect(engine, &EngineHost::jobSettled, this, &MainWindow::onJobSettled);
    connect(engine, &EngineHost::rateLimited, m_monitor, &MonitorPanel::setRateLimited);
    connect(engine, &EngineHost::stepTextUpdated, m_detail, &JobDetailView::onStepText);
    connect(engine, &EngineHost::attentionChanged, this, &MainWindow::onAttention);
    connect(engine, &EngineHost::idle, this, &MainWindow::scheduleCounts);
    connect(engine, &EngineHost::rateLimited, this,
            [this](qint64 retryInMs, RateLimitReason reason) {
        const int seconds = static_cast<int>((retryInMs + 999) / 1000);
        m_indicators->setNotice(
            reason == RateLimitReason::LowCredit
                ? tr("Your Replicate credit is low, so Replicate allows only 6 new predictions "
                     "a minute; continuing in %n s. Add credit to go at full speed.",
                     nullptr, seconds)
                : tr("Replicate asked us to slow down; continuing in %n s", nullptr, seconds));
        m_rateLimitNotice->start(static_cast<int>(retryInMs) + 1000);
    });
    connect(engine, &EngineHost::webhooksStarted, this,
            [this](bool ok, const QUrl &publicUrl, const QUrl &, const QString &problem) {
                if (ok) {
                    showStatus(tr("Receiving Replicate's webhooks at %1; polling stays on as a "
                                  "safety net.")
                                   .arg(publicUrl.toString()));
                } else if (!problem.isEmpty()) {
                    m_toast->showMessage(
                        tr("Webhooks are off: %1 Brieflow checks on Replicate by polling "
                           "instead.")
                            .arg(problem),
                        10'000, style()->standardIcon(QStyle::SP_MessageBoxWarning));
                }
            });
    connect(engine, &EngineHost::webhooksProblem, this, [this](const QString &problem) {
        showStatus(tr("Webhooks: %1 Polling continues meanwhile.").arg(problem));
    });
    connect(engine, &EngineHost::incident, this, [this](const JobId &job, const QString &message) {
        // Money may have been spent twice: this stays up long enough to be read, and the
        // job's history keeps it ("brieflow-cli status JOB" and the job pane).
        m_toast->showMessage(message, 15'000,
                             style()->standardIcon(QStyle::SP_MessageBoxWarning));
        m_queue->refresh({job});
    });
    connect(engine, &EngineHost::actionFinished, this,
            [this](const JobId &job, const QString &, bool ok, const QString &message) {
                m_queue->refresh({job});
                if (job == m_detail->jobId())
                    m_detail->refresh();
                if (!ok)
                    showStatus(message);
                updateCounts();
            });
    auto retry = [engine](const QList<RetryRequest> &requests) {
        for (const RetryRequest &r : requests)
            engine->retry(r);
    };
    auto cancel = [engine](const QList<JobId> &jobs) {
        for (const JobId &j : jobs)
            engine->cancel(j);
    };
    connect(m_queue, &QueuePanel::retryRequested, engine, retry);
    connect(m_detail, &JobDetailView::retryRequested, engine, retry);
    connect(m_queue, &QueuePanel::cancelRequested, engine, cancel);
    connect(m_detail, &JobDetailView::cancelRequested, engine, cancel);
    connect(m_detail, &JobDetailView::keepWaitingRequested, engine, &EngineHost::keepWaiting);
    connect(m_monitor, &MonitorPanel::retryRequested, engine, retry);
    connect(m_monitor, &MonitorPanel::cancelRequested, engine, cancel);
    connect(m_monitor, &MonitorPanel::keepWaitingRequested, engine, &EngineHost::keepWaiting);
    connect(m_queue, &QueuePanel::pauseToggled, engine, &EngineHost::setPaused);
    if (!m_demo)
        m_indicators->setConnection(StatusIndicators::Connection::Unknown);
}

void MainWindow::onEngineStarted(bool ok, const QString &error)
{
    if (ok) {
        m_engineBanner->hide();
        checkConnection();
        updateCounts();
        return;
    }
    m_engineBanner->setText(tr("Brieflow's engine could not start, so queued briefs won't run. "
                               "%1")
                                .arg(error));
    m_engineBanner->clearButtons();
    connect(m_engineBanner->addButton(tr("Open data folder"),
                                      tr("Show the folder with the job database")),
            &QPushButton::clicked, this,
            [this] { openUrl(QUrl::fromLocalFile(m_services.paths.dataDir())); });
    m_engineBanner->show();
    m_indicators->setConnection(StatusIndicators::Connection::Offline, error);
}

void MainWindow::onAttention(const EngineProblem &problem)
{
    m_attentionBanner->clearButtons();
    if (problem.isNull()) {
        m_attentionBanner->hide();
        checkConnection();
        return;
    }
    if (problem.errorType == QLatin1String("insufficient_credit")) {
        m_attentionBanner->setText(tr("Your Replicate account is out of credit. Jobs are paused."));
        connect(m_attentionBanner->addButton(tr("Open billing page"),
                                             tr("Add credit on replicate.com")),
                &QPushButton::clicked, this, [this] { openUrl(billingUrl); });
        connect(m_attentionBanner->addButton(tr("Resume"),
                                             tr("Run the paused jobs again after adding credit")),
                &QPushButton::clicked, this, [this] {
                    if (m_services.engine)
                        m_services.engine->tokenChanged();
                });
    } else {
        m_attentionBanner->setText(
            tr("Replicate didn't accept your API token. Jobs are paused until it is fixed."));
        connect(
            m_attentionBanner->addButton(tr("Open settings"), tr("Check or replace the API token")),
            &QPushButton::clicked, this,
            [this] { openSettings(SettingsDialog::Page::Connection); });
        m_indicators->setConnection(StatusIndicators::Connection::AuthProblem, problem.message);
    }
    m_attentionBanner->setToolTip(problem.message);
    m_attentionBanner->show();
    updateCounts();
}

void MainWindow::checkConnection()
{
    if (m_demo) {
        m_indicators->setConnection(StatusIndicators::Connection::Demo);
        return;
    }
    const QString token = m_services.token ? m_services.token->token() : QString();
    if (token.isEmpty()) {
        m_indicators->setConnection(StatusIndicators::Connection::NoToken);
        return;
    }
    m_indicators->setConnection(StatusIndicators::Connection::Checking);
    m_probe->account(token, this, [this](const ProviderResult<Account> &result) {
        if (result) {
            m_indicators->setConnection(StatusIndicators::Connection::Connected,
                                        result.value().username);
            return;
        }
        const ProviderError &e = result.error();
        const bool auth = e.kind == ProviderError::Kind::Unauthenticated;
        m_indicators->setConnection(auth ? StatusIndicators::Connection::AuthProblem
                                         : StatusIndicators::Connection::Offline,
                                    describeProviderProblem(e));
    });
}

void MainWindow::onTokenChanged()
{
    if (m_demo) {
        if (m_tokenSavedInDemo)
            return;
        m_tokenSavedInDemo = true;
        m_demoBanner->setText(tr("Demo — your API token is saved. Switch to real mode to send "
                                 "briefs to Replicate (demo jobs stay in the demo folder)."));
        m_demoBanner->clearButtons();
        connect(m_demoBanner->addButton(tr("Switch to real mode"),
                                        tr("Restart Brieflow with your Replicate token")),
                &QPushButton::clicked, this, &MainWindow::switchToRealModeRequested);
        return;
    }
    if (m_services.engine)
        m_services.engine->tokenChanged();
    checkConnection();
}

SettingsDialog *MainWindow::openSettings(SettingsDialog::Page page)
{
    if (!m_settingsDialog) {
        SettingsDialog::Context context;
        context.settings = m_services.settings;
        context.paths = m_services.paths;
        context.tokens = m_services.tokens;
        context.token = m_services.token;
        context.apiBase = m_services.providerApiBase;
        context.demo = m_demo;
        auto *dialog = new SettingsDialog(context, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &SettingsDialog::tokenChanged, this, &MainWindow::onTokenChanged);
        connect(dialog, &SettingsDialog::concurrencyChanged, this, [this](int jobs, int calls) {
            if (m_services.engine)
                m_services.engine->setConcurrency(jobs, calls);
            m_estimates->applySettings(*m_services.settings);
        });
        // Prices and the daily budget apply at once: the engine's budget and the estimates.
        connect(dialog, &SettingsDialog::costSettingsChanged, this,
                [this](const PriceTable &prices, double dailyBudgetUsd) {
                    if (m_services.engine)
                        m_services.engine->setCostSettings(prices, dailyBudgetUsd);
                    m_estimates->applySettings(*m_services.settings);
                });
        // Models and the polling budget apply to the running engine once saved.
        connect(dialog, &QDialog::accepted, this, [this] {
            if (EngineHost *engine = m_services.engine) {
                engine->setModelOverrides(modelOverrides(*m_services.settings));
                engine->setPollBudget(m_services.settings->value(Settings::PollBudgetPerSecond));
            }
            m_estimates->applySettings(*m_services.settings);
        });
        m_settingsDialog = dialog;
    }
    SettingsDialog *dialog = m_settingsDialog.data();
    dialog->showPage(page);
    dialog->open();
    dialog->raise();
    return dialog;
}

void MainWindow::showShortcuts()
{
    auto *dialog = new ShortcutsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    Settings &s = *m_services.settings;
    s.setValue(Settings::MainWindowGeometry, saveGeometry());
    s.setValue(Settings::MainWindowState, saveState());
    s.setValue(Settings::CreateSplitterState, m_splitter->saveState());
    s.sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::queueBrief(const Brief &brief)
{
    auto job = submitBrief(*m_services.writer, brief, tr("the brief form"));
    if (!job) {
        // Keep the form as it is so nothing the user typed is lost.
        showStatus(job.error().message);
        return;
    }
    m_queue->refresh({job.value().id});
    m_queue->selectJob(job.value().id);
    if (m_services.engine)
        m_services.engine->wake();
    showStatus(tr("Queued “%1”.").arg(brief.productName));
    m_form->clear();
    updateCounts();
}

void MainWindow::chooseCsvFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import briefs from CSV"), QString(),
                                                      tr("CSV files (*.csv *.txt);;All files (*)"));
    if (!path.isEmpty())
        importCsvFile(path);
}

void MainWindow::importCsvFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, tr("Import CSV"),
                             tr("Brieflow can't read %1: %2").arg(path, file.errorString()));
        return;
    }
    if (file.size() > MaxBriefCsvBytes) {
        QMessageBox::warning(this, tr("Import CSV"),
                             tr("%1 is larger than %2 MB; split it into smaller files.")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(MaxBriefCsvBytes / (1024 * 1024)));
        return;
    }
    auto *dialog = new CsvImportDialog(path, file.readAll(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setEstimates(m_estimates);
    connect(dialog, &QDialog::accepted, this, [this, dialog, path] {
        queueBriefs(dialog->validBriefs(), QFileInfo(path).fileName());
    });
    m_csvDialog = dialog;
    dialog->open();
}

void MainWindow::queueBriefs(const QList<Brief> &briefs, const QString &source)
{
    if (briefs.isEmpty())
        return;
    auto batch = m_services.writer->beginBatch();
    if (!batch) {
        showStatus(batch.error().message);
        return;
    }
    QList<JobId> queued;
    for (const Brief &brief : briefs) {
        auto job = submitBrief(*m_services.writer, brief, source);
        if (!job) {
            batch.value().rollback();
            showStatus(tr("Nothing was queued: %1").arg(job.error().message));
            return;
        }
        queued << job.value().id;
    }
    if (auto committed = batch.value().commit(); !committed) {
        showStatus(tr("Nothing was queued: %1").arg(committed.error().message));
        return;
    }
    m_queue->refresh(queued);
    if (m_services.engine)
        m_services.engine->wake();
    showStatus(
        tr("Queued %n brief(s) from %1.", nullptr, static_cast<int>(queued.size())).arg(source));
    updateCounts();
}

void MainWindow::showStatus(const QString &message)
{
    statusBar()->showMessage(message);
}

void MainWindow::scheduleCounts()
{
    // Not restarted while running: a steady stream of changes still updates every interval.
    if (!m_countsTimer->isActive())
        m_countsTimer->start();
}

void MainWindow::updateCounts()
{
    m_countsTimer->stop();
    const auto counts = reader().jobCountsFor(
        {JobStatus::Pending, JobStatus::Processing, JobStatus::Failed, JobStatus::NeedsAttention});
    if (!counts)
        return;
    m_indicators->setCounts(counts.value());
    const int active =
        counts.value().value(JobStatus::Pending) + counts.value().value(JobStatus::Processing);
    if (active > 0 && !m_batchActive) {
        m_batchActive = true;
        m_batchSucceeded = m_batchFailed = 0;
    } else if (active == 0 && m_batchActive) {
        m_batchActive = false;
        const int total = m_batchSucceeded + m_batchFailed;
        if (total > 0) {
            QString text;
            if (m_batchFailed == 0)
                text = tr("%n job(s) finished.", nullptr, total);
            else if (m_batchSucceeded == 0)
                text = tr("%n job(s) need a look.", nullptr, m_batchFailed);
            else
                text = tr("%1 of %2 jobs finished; %3 need a look.")
                           .arg(m_batchSucceeded)
                           .arg(total)
                           .arg(m_batchFailed);
            // The icon says how it went, not only the words.
            notify(tr("Brieflow"), text,
                   QIcon(m_batchFailed == 0 ? QStringLiteral(":/icons/state-succeeded.svg")
                                            : QStringLiteral(":/icons/state-needs-attention.svg")));
            Q_EMIT batchFinished(m_batchSucceeded, m_batchFailed);
        }
    }
}

void MainWindow::onJobSettled(const JobId &job, JobStatus status)
{
    if (status == JobStatus::Succeeded)
        ++m_batchSucceeded;
    else if (status != JobStatus::Canceled)
        ++m_batchFailed;
    // The row and the detail follow through the coalesced refresh (a settle also arrives in
    // the engine's jobsChanged batch): one structural re-read per settled job was a stall.
    m_queue->refreshLater({job});
    m_detail->onJobsChanged({job});
    m_gallery->refreshLater();
    scheduleCounts();
}

void MainWindow::notify(const QString &title, const QString &text, const QIcon &icon)
{
    m_lastNotification = text;
    const bool away = !isActiveWindow() || isMinimized() || !isVisible();
    if (away && QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            m_tray->setToolTip(tr("Brieflow"));
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                showNormal();
                activateWindow();
            });
        }
        m_tray->show();
        m_tray->showMessage(title, text, windowIcon(), 8000);
        return;
    }
    m_toast->showMessage(text, Toast::defaultTimeoutMs, icon);
}

void MainWindow::openUrl(const QUrl &url)
{
    if (m_openUrl)
        m_openUrl(url);
    else
        QDesktopServices::openUrl(url);
}

} // namespace brieflow::ui
