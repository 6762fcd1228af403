fn main() {
    officina::educator::start();
}
