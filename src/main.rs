fn main() {
    officina::start();
}
