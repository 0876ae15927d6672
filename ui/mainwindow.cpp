// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedLayout>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

#include "core/app/jobsubmission.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "models/jobtablemodel.h"
#include "widgets/briefform.h"

namespace brieflow::ui {

namespace {

QLabel *makeBanner(const QString &text, QWidget *parent)
{
    auto *banner = new QLabel(text, parent);
    banner->setWordWrap(true);
    banner->setContentsMargins(16, 8, 16, 8);
    banner->setAutoFillBackground(true);
    QPalette p = banner->palette();
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    p.setColor(QPalette::Window, dark ? QColor(0x4a, 0x3b, 0x10) : QColor(0xff, 0xf4, 0xd6));
    p.setColor(QPalette::WindowText, dark ? QColor(0xfd, 0xe6, 0xa8) : QColor(0x5c, 0x40, 0x00));
    banner->setPalette(p);
    return banner;
}

} // namespace

MainWindow::MainWindow(JobStore &store, Settings &settings, const Paths &paths, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_settings(settings)
    , m_paths(paths)
{
    setWindowTitle(paths.isDemo() ? tr("Brieflow — Demo") : tr("Brieflow"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    // The engine arrives in a later version; until then say plainly what Generate does.
    layout->addWidget(makeBanner(
        tr("This build queues briefs but does not run them yet: the pipeline engine that sends "
           "them to Replicate is still being built. Nothing is sent anywhere."),
        central));

    auto *splitter = new QSplitter(Qt::Horizontal, central);
    splitter->setChildrenCollapsible(false);

    m_form = new BriefForm;
    auto *formScroll = new QScrollArea(splitter);
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    formScroll->setMinimumWidth(320);

    auto *queuePane = new QWidget(splitter);
    auto *queueLayout = new QVBoxLayout(queuePane);
    queueLayout->setContentsMargins(16, 16, 16, 16);
    auto *queueTitle = new QLabel(tr("Queue"), queuePane);
    QFont titleFont = queueTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    queueTitle->setFont(titleFont);
    queueLayout->addWidget(queueTitle);

    m_model = new JobTableModel(store, this);
    m_queue = new QTableView(queuePane);
    m_queue->setModel(m_model);
    m_queue->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queue->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_queue->setShowGrid(false);
    m_queue->setAlternatingRowColors(true);
    m_queue->verticalHeader()->hide();
    m_queue->horizontalHeader()->setStretchLastSection(false);
    m_queue->horizontalHeader()->setSectionResizeMode(JobTableModel::Product, QHeaderView::Stretch);
    m_queue->horizontalHeader()->setSectionResizeMode(JobTableModel::Status,
                                                      QHeaderView::ResizeToContents);
    m_queue->horizontalHeader()->setSectionResizeMode(JobTableModel::Step,
                                                      QHeaderView::ResizeToContents);
    m_queue->horizontalHeader()->setSectionResizeMode(JobTableModel::Created,
                                                      QHeaderView::ResizeToContents);

    m_emptyState = new QLabel(tr("No jobs yet — write a brief on the left, or press “Try an "
                                 "example”."),
                              queuePane);
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    QPalette hint = m_emptyState->palette();
    hint.setColor(QPalette::WindowText, hint.color(QPalette::PlaceholderText));
    m_emptyState->setPalette(hint);

    auto *stackHost = new QWidget(queuePane);
    auto *stack = new QStackedLayout(stackHost);
    stack->addWidget(m_queue);
    stack->addWidget(m_emptyState);
    queueLayout->addWidget(stackHost, 1);

    splitter->addWidget(formScroll);
    splitter->addWidget(queuePane);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_counts = new QLabel(statusBar());
    statusBar()->addPermanentWidget(m_counts);

    connect(m_form, &BriefForm::submitted, this, &MainWindow::queueBrief);
    connect(m_model, &JobTableModel::modelReset, this, &MainWindow::updateEmptyState);
    connect(m_model, &JobTableModel::reloadFailed, this, &MainWindow::showStatus);
    updateEmptyState();

    resize(1180, 760);
    restoreGeometry(m_settings.value(Settings::MainWindowGeometry));
    restoreState(m_settings.value(Settings::MainWindowState));
    showStatus(tr("Data folder: %1").arg(paths.dataDir()));
}

MainWindow::~MainWindow() = default;

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setValue(Settings::MainWindowGeometry, saveGeometry());
    m_settings.setValue(Settings::MainWindowState, saveState());
    m_settings.sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::queueBrief(const Brief &brief)
{
    auto job = submitBrief(m_store, brief, tr("the brief form"));
    if (!job) {
        // Keep the form as it is so nothing the user typed is lost.
        showStatus(job.error().message);
        return;
    }
    m_model->reload();
    showStatus(tr("Queued “%1”.").arg(brief.productName));
    m_form->clear();
}

void MainWindow::updateEmptyState()
{
    auto *stack = qobject_cast<QStackedLayout *>(m_queue->parentWidget()->layout());
    const int rows = m_model->rowCount();
    stack->setCurrentWidget(rows == 0 ? static_cast<QWidget *>(m_emptyState) : m_queue);
    m_counts->setText(tr("%n job(s)", nullptr, rows));
}

void MainWindow::showStatus(const QString &message)
{
    statusBar()->showMessage(message);
}

} // namespace brieflow::ui
