// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

#include "core/paths.h"

class QLabel;
class QSplitter;
class QTableView;

namespace brieflow {
class JobStore;
class Settings;
struct Brief;
} // namespace brieflow

namespace brieflow::ui {

class BriefForm;
class JobTableModel;

/**
 * The main window: hosts the brief form and the queue, and wires them to the job store. It owns
 * no behaviour of its own beyond that wiring; the store and settings are passed in by main().
 */
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(JobStore &store, Settings &settings, const Paths &paths, QWidget *parent = nullptr);
    ~MainWindow() override;

    BriefForm *briefForm() const { return m_form; }
    JobTableModel *jobModel() const { return m_model; }
    QTableView *queueView() const { return m_queue; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void queueBrief(const brieflow::Brief &brief);
    void updateEmptyState();
    void showStatus(const QString &message);

    JobStore &m_store;
    Settings &m_settings;
    Paths m_paths;
    BriefForm *m_form = nullptr;
    JobTableModel *m_model = nullptr;
    QTableView *m_queue = nullptr;
    QLabel *m_emptyState = nullptr;
    QLabel *m_counts = nullptr;
};

} // namespace brieflow::ui
